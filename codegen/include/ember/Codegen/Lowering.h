//===- Lowering.h - ember -> linalg/tensor/arith/math -----------*- C++ -*-===//
//
// The patterns of convert-ember-to-linalg, for passes that lower ember
// together with other patterns (the JIT). Tensor types do not change (ember's
// element types f32, f64, i32, i64 and i1 are builtin signless types), so
// no type converter is involved.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_CODEGEN_LOWERING_H
#define EMBER_CODEGEN_LOWERING_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::ember {

/// Adds one conversion pattern per lowered ember op. A pattern leaves alone
/// the ops that isLowerable rejects.
void populateEmberToLinalgPatterns(RewritePatternSet &patterns);

/// Whether `ember.<name>` has a lowering (the JIT splits the trace at ops
/// without one). Derived from the patterns themselves.
bool hasLowering(llvm::StringRef opName);

/// Whether this op instance is lowered: it has a lowering, all its operand
/// and result types are statically shaped tensors without `ui8` (arith has
/// no unsigned types), and its pattern takes its element types and
/// attributes (not, e.g., bool pow or a grouped conv2d). The pass marks
/// exactly these ops illegal and leaves the others as ember.
bool isLowerable(Operation *op);

} // namespace mlir::ember

#endif // EMBER_CODEGEN_LOWERING_H
