//===- OutlineParallelLoops.cpp - the ember-outline-parallel-loops pass ---===//
//
// Outlines each big outermost scf.parallel into a private function over a
// sub-range of its first dimension, called once over the whole range; the
// JIT then turns that call into ember_rt_parallel_for on ember's thread pool
// (JitFunction.cpp, in LLVM IR, before LLVM's optimizer could inline the
// body back). Preconditions: linalg ops are already scf.parallel loops
// (convert-linalg-to-parallel-loops), and bodies only use values that can
// be passed as function arguments (memrefs, scalars, index), which holds
// for what bufferization and linalg lowering produce.
//
// Algorithm, per func.func: take the scf.parallel ops with no scf.parallel
// around them and no results, whose first dimension starts at 0 with step
// 1 and whose bounds are all constants. Their static work is the trip
// count product times the ops in the body, where a nested loop with
// constant bounds counts its body trip-count times. Loops under `min-work`
// stay (a pool wake-up costs a few microseconds). The values the body uses
// from above are either constants (cloned into the new function) or
// arguments, after (%begin, %end, %grain); the clone's first dimension runs
// over [%begin, %end). The call passes (0, trip count, grain), with grain =
// ceil(min-work / work per first-dimension iteration), the fewest
// iterations per chunk worth a thread.
//
//===----------------------------------------------------------------------===//

#include "ember/Codegen/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Debug.h"

#include <limits>

#define DEBUG_TYPE "ember-outline-parallel-loops"

namespace mlir::ember {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPS
#include "ember/Codegen/Passes.h.inc"
} // namespace mlir::ember

using namespace mlir;

namespace {

constexpr int64_t kUnknown = -1;

int64_t constantIndex(Value v) {
  APInt value;
  if (matchPattern(v, m_ConstantInt(&value)))
    return value.getSExtValue();
  return kUnknown;
}

// Iterations of a loop dim with constant bounds, kUnknown otherwise.
int64_t tripCount(Value lb, Value ub, Value step) {
  int64_t l = constantIndex(lb), u = constantIndex(ub), s = constantIndex(step);
  if (l == kUnknown || u == kUnknown || s <= 0)
    return kUnknown;
  return u <= l ? 0 : (u - l + s - 1) / s;
}

int64_t saturatingMul(int64_t a, int64_t b) {
  if (a != 0 && b > std::numeric_limits<int64_t>::max() / a)
    return std::numeric_limits<int64_t>::max();
  return a * b;
}

// Ops executed by one run of `block`, nested constant-trip loops unrolled
// in the count (a loop with unknown bounds counts its body once).
int64_t blockCost(Block &block) {
  int64_t cost = 0;
  for (Operation &op : block) {
    int64_t trips = 1;
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      trips =
          tripCount(loop.getLowerBound(), loop.getUpperBound(), loop.getStep());
    } else if (auto par = dyn_cast<scf::ParallelOp>(op)) {
      for (auto [l, u, s] :
           llvm::zip(par.getLowerBound(), par.getUpperBound(), par.getStep()))
        trips = saturatingMul(trips, std::max<int64_t>(tripCount(l, u, s), 0));
    }
    trips = std::max<int64_t>(trips, 1);
    int64_t inner = 0;
    for (Region &region : op.getRegions())
      for (Block &b : region)
        inner += blockCost(b);
    cost += 1 + saturatingMul(trips, inner);
    if (cost < 0)
      return std::numeric_limits<int64_t>::max();
  }
  return cost;
}

struct OutlineParallelLoops
    : public ember::impl::OutlineParallelLoopsBase<OutlineParallelLoops> {
  using OutlineParallelLoopsBase::OutlineParallelLoopsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp func : funcs) {
      if (func.isExternal())
        continue;
      SmallVector<scf::ParallelOp> loops;
      func.walk([&](scf::ParallelOp loop) {
        if (!loop->getParentOfType<scf::ParallelOp>())
          loops.push_back(loop);
      });
      int k = 0;
      for (scf::ParallelOp loop : loops)
        if (outline(module, func, loop, k))
          ++k;
    }
  }

  bool outline(ModuleOp module, func::FuncOp func, scf::ParallelOp loop,
               int k) {
    if (loop.getNumResults() != 0 ||
        constantIndex(loop.getLowerBound()[0]) != 0 ||
        constantIndex(loop.getStep()[0]) != 1)
      return false;
    int64_t perIteration = blockCost(*loop.getBody());
    int64_t trips0 = kUnknown;
    for (auto [i, bounds] : llvm::enumerate(llvm::zip(
             loop.getLowerBound(), loop.getUpperBound(), loop.getStep()))) {
      auto [l, u, s] = bounds;
      int64_t trips = tripCount(l, u, s);
      if (trips == kUnknown)
        return false;
      if (i == 0)
        trips0 = trips;
      else
        perIteration = saturatingMul(perIteration, trips);
    }
    int64_t work = saturatingMul(trips0, perIteration);
    LLVM_DEBUG(llvm::dbgs() << "scf.parallel in @" << func.getSymName() << ": "
                            << trips0 << " x " << perIteration << " ops\n");
    if (trips0 < 2 || work < minWork)
      return false;
    int64_t grain = std::max<int64_t>(
        1, (minWork + perIteration - 1) / std::max<int64_t>(perIteration, 1));

    // Values from above: the body's, and the bounds of the inner dims.
    llvm::SetVector<Value> above;
    getUsedValuesDefinedAbove(loop.getRegion(), above);
    unsigned dims = loop.getNumLoops();
    for (auto [i, v] : llvm::enumerate(loop->getOperands()))
      if (i != 0 && i != dims) // the first dim's bounds become arguments
        above.insert(v);
    SmallVector<Value> captured;
    SmallVector<Operation *> constants;
    for (Value v : above) {
      Operation *def = v.getDefiningOp();
      if (def && def->hasTrait<OpTrait::ConstantLike>())
        constants.push_back(def);
      else
        captured.push_back(v);
    }

    OpBuilder b(module.getContext());
    b.setInsertionPointAfter(func);
    Location loc = loop.getLoc();
    Type index = b.getIndexType();
    SmallVector<Type> types = {index, index, index};
    for (Value v : captured)
      types.push_back(v.getType());
    std::string name =
        ("_ember_par_" + func.getSymName() + "_" + Twine(k)).str();
    auto body = b.create<func::FuncOp>(loc, name,
                                       b.getFunctionType(types, TypeRange{}));
    body.setPrivate();
    Block *entry = body.addEntryBlock();
    b.setInsertionPointToStart(entry);
    IRMapping map;
    for (Operation *c : constants)
      map.map(c->getResult(0), b.clone(*c)->getResult(0));
    for (auto [v, arg] :
         llvm::zip(captured, entry->getArguments().drop_front(3)))
      map.map(v, arg);
    Operation *clone = b.clone(*loop, map);
    clone->setOperand(0, entry->getArgument(0));    // lower bound 0
    clone->setOperand(dims, entry->getArgument(1)); // upper bound 0
    b.create<func::ReturnOp>(loc);

    b.setInsertionPoint(loop);
    SmallVector<Value> args = {b.create<arith::ConstantIndexOp>(loc, 0),
                               b.create<arith::ConstantIndexOp>(loc, trips0),
                               b.create<arith::ConstantIndexOp>(loc, grain)};
    args.append(captured.begin(), captured.end());
    b.create<func::CallOp>(loc, body, args);
    loop.erase();
    LLVM_DEBUG(llvm::dbgs()
               << "outlined @" << name << ", grain " << grain << "\n");
    return true;
  }
};

} // namespace
