//===- LoopHints.cpp - interleave hints for long elementwise loops --------===//
//
// A fused elementwise loop such as exp(-gelu(sigmoid(tanh(2x+1)-0.5)*x))
// is, per element, one chain of ~80 dependent vector instructions (the
// polynomial approximations evaluate in Horner form, each op waits for the
// previous one). LLVM's loop vectorizer picks interleave count 1 for such a
// body (its register-pressure estimate is high and the loop is not "small"),
// so each vector iteration starts only when the out-of-order window has room:
// on Zen 4 (AVX-512) the 8-op chain above ran at ~140 cycles per 16 floats
// while its instructions need ~80 cycles of the FP pipes. Interleaving
// independent vectors fills the window: measured on that host (thread CPU
// time, 4M floats), interleave 1/2/4/8/16 gave 11.6/9.0/6.7/5.8/6.5 ms.
// Short chains gain little or lose (more spills): interleave 4 made
// gelu(erf) 7% slower, while log1p(exp(x)) gained 34% with 8.
//
// So: for each innermost loop, compute the longest dependency chain through
// its body, counting each arithmetic instruction as one (address arithmetic,
// loads, stores, casts and phis count zero; loop-carried values are cut at
// the phis), and request
//   depth >= 40: interleave 8   (chain8: 79; log1p(exp(x)): 42)
//   depth >= 23: interleave 4   (sigmoid: 23; x * sigmoid(x): 24)
//   otherwise:   LLVM's choice  (exp: 20, tanh: 14, gelu(erf): 17)
// (depths of the scalar loops the JIT emits; the choices are the fastest
// measured for each, or within 3% of it). Runs on the IR before the
// optimizer, where each loop is still the scalar loop MLIR emitted; the
// vectorizer reads the hint (it does not force vectorization).
//
//===----------------------------------------------------------------------===//

#include "LoopHints.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/LoopIterator.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"

namespace mlir::ember::detail {

namespace {

constexpr const char *kInterleaveCount = "llvm.loop.interleave.count";

// Whether `inst` is a step of a computation chain (arithmetic, compares,
// selects, math calls) rather than bookkeeping that costs no chain latency
// worth counting (addresses, memory, casts, index arithmetic, control flow).
bool isArithmetic(const llvm::Instruction &inst) {
  if (inst.isTerminator() || llvm::isa<llvm::PHINode>(inst))
    return false;
  switch (inst.getOpcode()) {
  case llvm::Instruction::GetElementPtr:
  case llvm::Instruction::Alloca:
  case llvm::Instruction::ICmp:
  case llvm::Instruction::Load:
  case llvm::Instruction::Store:
  case llvm::Instruction::ExtractValue:
  case llvm::Instruction::InsertValue:
  case llvm::Instruction::BitCast:
  case llvm::Instruction::SExt:
  case llvm::Instruction::ZExt:
  case llvm::Instruction::Trunc:
  case llvm::Instruction::Add:
  case llvm::Instruction::Mul:
    return false;
  default:
    return true;
  }
}

// The longest chain of arithmetic instructions in `loop`'s body, following
// def-use edges inside the loop in reverse post-order (phis start chains).
unsigned chainDepth(llvm::Loop &loop, llvm::LoopInfo &loopInfo) {
  llvm::LoopBlocksRPO blocks(&loop);
  blocks.perform(&loopInfo);
  llvm::DenseMap<const llvm::Instruction *, unsigned> depth;
  unsigned longest = 0;
  for (llvm::BasicBlock *block : blocks) {
    for (llvm::Instruction &inst : *block) {
      unsigned d = 0;
      if (!llvm::isa<llvm::PHINode>(inst))
        for (llvm::Value *operand : inst.operands())
          if (auto *def = llvm::dyn_cast<llvm::Instruction>(operand)) {
            auto it = depth.find(def);
            if (it != depth.end())
              d = std::max(d, it->second);
          }
      d += isArithmetic(inst) ? 1 : 0;
      depth[&inst] = d;
      longest = std::max(longest, d);
    }
  }
  return longest;
}

bool hasInterleaveHint(const llvm::Loop &loop) {
  llvm::MDNode *id = loop.getLoopID();
  if (!id)
    return false;
  for (const llvm::MDOperand &op : llvm::drop_begin(id->operands()))
    if (auto *node = llvm::dyn_cast<llvm::MDNode>(op.get()))
      if (node->getNumOperands() > 0)
        if (auto *name = llvm::dyn_cast<llvm::MDString>(node->getOperand(0)))
          if (name->getString() == kInterleaveCount)
            return true;
  return false;
}

// Adds {"llvm.loop.interleave.count", count} to the loop's ID, keeping what
// it held.
void setInterleaveCount(llvm::Loop &loop, unsigned count) {
  llvm::LLVMContext &ctx = loop.getHeader()->getContext();
  llvm::SmallVector<llvm::Metadata *> ops = {nullptr}; // self reference
  if (llvm::MDNode *old = loop.getLoopID())
    for (const llvm::MDOperand &op : llvm::drop_begin(old->operands()))
      ops.push_back(op.get());
  ops.push_back(llvm::MDNode::get(
      ctx, {llvm::MDString::get(ctx, kInterleaveCount),
            llvm::ConstantAsMetadata::get(
                llvm::ConstantInt::get(llvm::Type::getInt32Ty(ctx), count))}));
  llvm::MDNode *id = llvm::MDNode::getDistinct(ctx, ops);
  id->replaceOperandWith(0, id);
  loop.setLoopID(id);
}

} // namespace

unsigned interleaveCountForDepth(unsigned depth) {
  if (depth >= 40)
    return 8;
  if (depth >= 23)
    return 4;
  return 0;
}

int addInterleaveHints(llvm::Module &module) {
  int annotated = 0;
  for (llvm::Function &func : module) {
    if (func.isDeclaration())
      continue;
    llvm::DominatorTree domTree(func);
    llvm::LoopInfo loopInfo(domTree);
    for (llvm::Loop *loop : loopInfo.getLoopsInPreorder()) {
      if (!loop->isInnermost() || hasInterleaveHint(*loop))
        continue;
      unsigned count = interleaveCountForDepth(chainDepth(*loop, loopInfo));
      if (count == 0)
        continue;
      setInterleaveCount(*loop, count);
      ++annotated;
    }
  }
  return annotated;
}

} // namespace mlir::ember::detail
