// LoopHints (codegen/lib/JIT): innermost loops whose body is a long chain of
// dependent arithmetic get an llvm.loop.interleave.count hint, short ones
// none, and a hint already present is kept.
#include "LoopHints.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using namespace mlir::ember::detail;

namespace {

// A loop over p[0, n) whose body is `chain` dependent fadds on p[i];
// `loopMD` is appended to the back edge.
std::string chainLoop(int chain, const std::string &loopMD = "") {
  std::string ir = "define void @f(ptr %p, i64 %n) {\n"
                   "entry:\n  br label %loop\n"
                   "loop:\n"
                   "  %i = phi i64 [ 0, %entry ], [ %next, %loop ]\n"
                   "  %a = getelementptr float, ptr %p, i64 %i\n"
                   "  %v0 = load float, ptr %a\n";
  for (int k = 1; k <= chain; ++k)
    ir += "  %v" + std::to_string(k) + " = fadd float %v" +
          std::to_string(k - 1) + ", 1.0\n";
  ir += "  store float %v" + std::to_string(chain) +
        ", ptr %a\n"
        "  %next = add i64 %i, 1\n"
        "  %c = icmp slt i64 %next, %n\n"
        "  br i1 %c, label %loop, label %exit" +
        loopMD +
        "\n"
        "exit:\n  ret void\n}\n";
  return ir;
}

std::unique_ptr<llvm::Module> parse(const std::string &ir,
                                    llvm::LLVMContext &ctx) {
  llvm::SMDiagnostic error;
  auto module = llvm::parseAssemblyString(ir, error, ctx);
  EXPECT_TRUE(module) << error.getMessage().str();
  return module;
}

// The interleave count on @f's back edge; 0 when none.
unsigned interleaveCount(llvm::Module &module) {
  for (llvm::BasicBlock &block : *module.getFunction("f"))
    if (llvm::MDNode *id = block.getTerminator()->getMetadata("llvm.loop"))
      for (const llvm::MDOperand &op : id->operands())
        if (auto *node = llvm::dyn_cast<llvm::MDNode>(op.get()))
          if (auto *name = llvm::dyn_cast<llvm::MDString>(node->getOperand(0));
              name && name->getString() == "llvm.loop.interleave.count")
            return static_cast<unsigned>(
                llvm::mdconst::extract<llvm::ConstantInt>(node->getOperand(1))
                    ->getZExtValue());
  return 0;
}

TEST(LoopHints, CountGrowsWithTheChainDepth) {
  EXPECT_EQ(interleaveCountForDepth(10), 0u);
  EXPECT_EQ(interleaveCountForDepth(23), 4u);
  EXPECT_EQ(interleaveCountForDepth(39), 4u);
  EXPECT_EQ(interleaveCountForDepth(79), 8u);
}

TEST(LoopHints, LongChainsGetAHintShortOnesNone) {
  for (auto [chain, want] :
       {std::pair{5, 0u}, std::pair{30, 4u}, std::pair{60, 8u}}) {
    llvm::LLVMContext ctx;
    auto module = parse(chainLoop(chain), ctx);
    ASSERT_TRUE(module);
    EXPECT_EQ(addInterleaveHints(*module), want ? 1 : 0) << chain;
    EXPECT_EQ(interleaveCount(*module), want) << chain;
  }
}

TEST(LoopHints, ExistingHintIsKept) {
  llvm::LLVMContext ctx;
  auto module = parse(chainLoop(60, ", !llvm.loop !0") +
                          "!0 = distinct !{!0, !1}\n"
                          "!1 = !{!\"llvm.loop.interleave.count\", i32 2}\n",
                      ctx);
  ASSERT_TRUE(module);
  EXPECT_EQ(addInterleaveHints(*module), 0);
  EXPECT_EQ(interleaveCount(*module), 2u);
}

} // namespace
