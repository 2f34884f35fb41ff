//===- EmberCanonicalize.td - declarative peepholes --------*- tablegen -*-===//
//
// Canonicalization patterns of the ember ops that are pure structure
// (generated into EmberCanonicalize.inc, registered by the ops'
// getCanonicalizationPatterns). Patterns that compute (composing two
// permutations) are C++, in the op family's file.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_LIB_IR_EMBERCANONICALIZE_TD
#define EMBER_LIB_IR_EMBERCANONICALIZE_TD

include "ember/IR/EmberOps.td"
include "mlir/IR/PatternBase.td"

// view(view(x, s1), s2) -> view(x, s2): only the final shape matters.
def ComposeViews : Pat<(Ember_ViewOp (Ember_ViewOp $x, $inner), $shape),
                       (Ember_ViewOp $x, $shape)>;

// reshape(reshape(x, s1), s2) -> reshape(x, s2).
def ComposeReshapes : Pat<(Ember_ReshapeOp (Ember_ReshapeOp $x, $inner), $shape),
                          (Ember_ReshapeOp $x, $shape)>;

#endif // EMBER_LIB_IR_EMBERCANONICALIZE_TD
