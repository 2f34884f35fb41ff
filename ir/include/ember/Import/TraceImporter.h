//===- TraceImporter.h - jit::Trace -> ember dialect ------------*- C++ -*-===//
//
// Imports a trace (ember/jit/trace.h) as a func.func of ember ops. The
// mapping is the contract at the top of EmberOps.td: one op per traced op,
// operands in the eager call's input order, attributes under the eager
// names, result types from the traced outputs (the verifier checks them
// against the dialect's shape/dtype rules). Arguments carry their trace
// names ({ember.name = "fc1.weight", ember.kind = "parameter"}); each op's
// location is fused[NameLoc(module path), FileLineColLoc(user's call)].
//
// Code here throws ember::Error (it is built with exceptions, unlike the
// dialect library).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IMPORT_TRACEIMPORTER_H
#define EMBER_IMPORT_TRACEIMPORTER_H

#include "ember/dispatch.h"
#include "ember/jit/trace.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace mlir::ember {

/// Loads the dialects an imported trace uses (ember, func).
void loadImportDialects(MLIRContext &context);

/// f32, f64, i32, i64, i1 or ui8; throws ember::Error for other dtypes.
Type elementType(MLIRContext &context, ::ember::DType dtype);
RankedTensorType tensorType(MLIRContext &context, ::ember::IntArrayRef sizes,
                            ::ember::DType dtype);
/// An eager attribute value as the dialect's attribute (EmberOps.td).
Attribute toAttribute(MLIRContext &context, const ::ember::AttrValue &value);
/// A tensor's values as a DenseElementsAttr of its tensor type.
DenseElementsAttr toDenseAttr(MLIRContext &context,
                              const ::ember::Tensor &tensor);

/// Imports `trace` into a new module holding func.func @<trace.name>.
/// Throws ember::Error naming the op and its location when an op cannot be
/// imported or the result does not verify. With EMBER_DUMP_IR=<dir> set,
/// the module is also written to <dir>/<name>.<n>.import.mlir.
OwningOpRef<ModuleOp> importTrace(MLIRContext &context,
                                  const ::ember::jit::Trace &trace);

/// The module as text; with debugInfo, locations included.
std::string printModule(ModuleOp module, bool debugInfo);

/// Writes `module` to $EMBER_DUMP_IR/<name>.<n>.<stage>.mlir (with
/// locations) when EMBER_DUMP_IR is set; <n> numbers the traces of this
/// process. Returns the path written, or "".
std::string dumpIR(ModuleOp module, const std::string &name,
                   const std::string &stage);

} // namespace mlir::ember

#endif // EMBER_IMPORT_TRACEIMPORTER_H
