//===- ParallelCalls.cpp - outlined loop bodies onto ember's pool ---------===//
//
// See ParallelCalls.h. Per outlined body @F(i64 begin, i64 end, i64 grain,
// captured...) (one call site each, made by ember-outline-parallel-loops):
//   %ctx = alloca {captured types...}      ; in the caller's entry block
//   store each captured value into %ctx
//   call @ember_rt_parallel_for(@F.trampoline, %ctx, begin, end, grain)
// and
//   define internal void @F.trampoline(ptr %ctx, i64 %b, i64 %e) {
//     load the captured values; call @F(%b, %e, 0, captured...) }
// F becomes internal, so the optimizer inlines it into its trampoline and
// vectorizes the loops there; the caller only sees an opaque call.
//
//===----------------------------------------------------------------------===//

#include "ParallelCalls.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

namespace mlir::ember::detail {

namespace {

llvm::Function *trampolineFor(llvm::Module &module, llvm::Function &body,
                              llvm::StructType *ctxType) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *type = llvm::FunctionType::get(
      b.getVoidTy(), {b.getPtrTy(), b.getInt64Ty(), b.getInt64Ty()},
      /*isVarArg=*/false);
  auto *t = llvm::Function::Create(type, llvm::Function::InternalLinkage,
                                   body.getName() + ".trampoline", module);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", t));
  llvm::SmallVector<llvm::Value *> args = {
      t->getArg(1), t->getArg(2),
      llvm::ConstantInt::get(body.getArg(2)->getType(), 0)};
  for (unsigned i = 0; i < ctxType->getNumElements(); ++i)
    args.push_back(b.CreateLoad(ctxType->getElementType(i),
                                b.CreateStructGEP(ctxType, t->getArg(0), i)));
  b.CreateCall(&body, args);
  b.CreateRetVoid();
  return t;
}

} // namespace

int lowerParallelCalls(llvm::Module &module) {
  llvm::SmallVector<llvm::Function *> bodies;
  for (llvm::Function &f : module)
    if (!f.isDeclaration() && f.getName().starts_with(kParallelBodyPrefix))
      bodies.push_back(&f);
  if (bodies.empty())
    return 0;
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> b(ctx);
  llvm::FunctionCallee parallelFor = module.getOrInsertFunction(
      "ember_rt_parallel_for", b.getVoidTy(), b.getPtrTy(), b.getPtrTy(),
      b.getInt64Ty(), b.getInt64Ty(), b.getInt64Ty());
  int rewritten = 0;
  for (llvm::Function *body : bodies) {
    body->setLinkage(llvm::Function::InternalLinkage);
    llvm::SmallVector<llvm::CallInst *> calls;
    for (llvm::User *user : body->users())
      if (auto *call = llvm::dyn_cast<llvm::CallInst>(user))
        if (call->getCalledFunction() == body)
          calls.push_back(call);
    if (calls.empty())
      continue;
    llvm::SmallVector<llvm::Type *> fields;
    for (llvm::Argument &arg : body->args())
      if (arg.getArgNo() >= 3)
        fields.push_back(arg.getType());
    auto *ctxType = llvm::StructType::get(ctx, fields);
    llvm::Function *trampoline = trampolineFor(module, *body, ctxType);
    for (llvm::CallInst *call : calls) {
      llvm::Function *caller = call->getFunction();
      b.SetInsertPoint(&*caller->getEntryBlock().getFirstInsertionPt());
      llvm::Value *ctxPtr = b.CreateAlloca(ctxType);
      b.SetInsertPoint(call);
      for (unsigned i = 0; i < fields.size(); ++i)
        b.CreateStore(call->getArgOperand(3 + i),
                      b.CreateStructGEP(ctxType, ctxPtr, i));
      b.CreateCall(parallelFor,
                   {trampoline, ctxPtr, call->getArgOperand(0),
                    call->getArgOperand(1), call->getArgOperand(2)});
      call->eraseFromParent();
      ++rewritten;
    }
  }
  return rewritten;
}

} // namespace mlir::ember::detail
