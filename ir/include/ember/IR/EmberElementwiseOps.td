//===- EmberElementwiseOps.td - elementwise ops ------------*- tablegen -*-===//
//
// Unary and binary elementwise ops, comparisons, where/masked_fill, clamp,
// and their in-place forms (ops.def families Unary, Binary, Compare,
// Ternary). Binary ops broadcast as numpy does and promote their operands
// as torch.result_type does (lib/IR/TypeRules.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERELEMENTWISEOPS_TD
#define EMBER_IR_EMBERELEMENTWISEOPS_TD

include "ember/IR/EmberDialect.td"

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

class Ember_UnaryOp<string mnemonic, string rule, string summaryText,
                    list<Trait> traits = [Ember_Differentiable]>
    : Ember_RuleOp<mnemonic, rule, traits> {
  let summary = summaryText;
  let arguments = (ins Ember_Tensor:$input);
  let results = (outs Ember_Tensor:$result);
}

// Ops that keep the operand's type (torch.neg, abs, relu, ...).
// `folds` describes the op's folder, if it has one (hasFolder is set then).
class Ember_SameTypeUnaryOp<string mnemonic, string summaryText,
                            string folds = "">
    : Ember_UnaryOp<mnemonic, "unarySameType", summaryText> {
  let hasFolder = !ne(folds, "");
  let description = [{
    Elementwise `}] # mnemonic # [{` as in PyTorch; the result has the
    operand's type (`floor`, `ceil` and `round` of an integer tensor are the
    identity).

    ```mlir
    %0 = ember.}] # mnemonic # [{ %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
    ```

    }] # folds # [{
  }];
}

// Float math: integer and bool operands give the default float type.
class Ember_FloatUnaryOp<string mnemonic, string summaryText,
                         string folds = "">
    : Ember_UnaryOp<mnemonic, "unaryFloat", summaryText> {
  let hasFolder = !ne(folds, "");
  let description = [{
    Elementwise `}] # mnemonic # [{` as in PyTorch. A floating operand keeps
    its type; an integer or bool operand gives the default float type (`f32`,
    or `f64` when the program set it so).

    ```mlir
    %0 = ember.}] # mnemonic # [{ %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %1 = ember.}] # mnemonic # [{ %n : (tensor<3xi64>) -> tensor<3xf32>
    ```

    }] # folds # [{
  }];
}

defvar Ember_FoldsLiterals =
    "Folds a small literal operand (or a splat) to a literal.";

def Ember_NegOp : Ember_SameTypeUnaryOp<"neg", "Elementwise negation",
    !strconcat("Folds `neg(neg(x))` to `x`. ", Ember_FoldsLiterals)>;
def Ember_AbsOp : Ember_SameTypeUnaryOp<"abs", "Elementwise absolute value",
    !strconcat("Folds to the operand on `ui8` and `i1` tensors. ",
               Ember_FoldsLiterals)>;
def Ember_ExpOp : Ember_FloatUnaryOp<"exp", "Elementwise natural exponential",
    Ember_FoldsLiterals>;
def Ember_LogOp : Ember_FloatUnaryOp<"log", "Elementwise natural logarithm">;
def Ember_Log1pOp : Ember_FloatUnaryOp<"log1p", "Elementwise log(1 + x)">;
def Ember_SqrtOp : Ember_FloatUnaryOp<"sqrt", "Elementwise square root",
    Ember_FoldsLiterals>;
def Ember_RsqrtOp : Ember_FloatUnaryOp<"rsqrt", "Elementwise 1 / sqrt(x)">;
def Ember_SinOp : Ember_FloatUnaryOp<"sin", "Elementwise sine">;
def Ember_CosOp : Ember_FloatUnaryOp<"cos", "Elementwise cosine">;
def Ember_TanhOp : Ember_FloatUnaryOp<"tanh", "Elementwise hyperbolic tangent">;
def Ember_SigmoidOp : Ember_FloatUnaryOp<"sigmoid",
                                         "Elementwise 1 / (1 + exp(-x))">;
def Ember_ReluOp : Ember_SameTypeUnaryOp<"relu",
    "Rectified linear unit, max(x, 0)",
    !strconcat("`x < 0 ? 0 : x`, so NaN and -0.0 pass through as in "
               "torch.relu. Folds `relu(relu(x))` and relu of a `ui8` or `i1` "
               "tensor to its operand. ", Ember_FoldsLiterals)>;
def Ember_SignOp : Ember_SameTypeUnaryOp<"sign", "Elementwise sign (-1, 0, 1)">;
def Ember_FloorOp : Ember_SameTypeUnaryOp<"floor", "Elementwise floor",
    !strconcat("Folds to the operand on integer tensors. ",
               Ember_FoldsLiterals)>;
def Ember_CeilOp : Ember_SameTypeUnaryOp<"ceil", "Elementwise ceiling",
    !strconcat("Folds to the operand on integer tensors. ",
               Ember_FoldsLiterals)>;
def Ember_RoundOp : Ember_SameTypeUnaryOp<"round",
                                          "Elementwise round half to even">;

def Ember_GeluOp : Ember_UnaryOp<"gelu", "gelu",
                                 "Gaussian error linear unit"> {
  let description = [{
    `x * Phi(x)` elementwise (torch.nn.functional.gelu); `approximate` is
    `"none"` (the exact erf form) or `"tanh"`. The operand must be floating;
    the result has its type.

    ```mlir
    %0 = ember.gelu %x {approximate = "tanh"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, StrAttr:$approximate);
}

def Ember_LogicalNotOp : Ember_UnaryOp<"logical_not", "logicalNot",
                                       "Elementwise logical not", []> {
  let hasFolder = 1;
  let description = [{
    `x == 0` elementwise, as a bool (`i1`) tensor of the operand's shape.

    ```mlir
    %0 = ember.logical_not %x : (tensor<3xf32>) -> tensor<3xi1>
    ```

    `logical_not(logical_not(b))` folds to `b` for a bool `b`.
  }];
}

def Ember_ClampOp : Ember_RuleOp<"clamp", "clamp", [Ember_Differentiable]> {
  let summary = "Elementwise clamp to [min, max]";
  let description = [{
    `min(max(x, min), max)` elementwise (torch.clamp); at least one of `min`
    and `max` is given. A floating bound on an integer or bool tensor gives
    the default float type; otherwise the result has the operand's type.

    ```mlir
    %0 = ember.clamp %x {max = 6.0 : f64, min = 0.0 : f64} : (tensor<4xf32>) -> tensor<4xf32>
    %1 = ember.clamp %n {min = 0 : i64} : (tensor<4xi64>) -> tensor<4xi64>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, OptionalAttr<Ember_ScalarAttr>:$min,
                       OptionalAttr<Ember_ScalarAttr>:$max);
  let results = (outs Ember_Tensor:$result);
}

def Ember_ClampInplaceOp : Ember_RuleOp<"clamp_", "clampInplace",
                                        [Ember_Differentiable]> {
  let summary = "In-place clamp (value semantics)";
  let description = [{
    `self.clamp_(min, max)`: the result is the new value of `self`, of
    `self`'s type. A floating bound on an integer tensor is an error (the
    result could not be written back).

    ```mlir
    %0 = ember.clamp_ %x {min = -1.0 : f64} : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$self, OptionalAttr<Ember_ScalarAttr>:$min,
                       OptionalAttr<Ember_ScalarAttr>:$max);
  let results = (outs Ember_Tensor:$result);
}

//===----------------------------------------------------------------------===//
// Binary
//===----------------------------------------------------------------------===//

// Shape and dtype rules shared by the binary ops.
defvar Ember_BinaryRules = [{
    The operands broadcast against each other as in numpy and PyTorch: shapes
    are aligned at their trailing dimensions, and each pair of dimensions must
    be equal or one of them 1 (a dynamic dimension is assumed to match). The
    result has the broadcast shape.

    The element type is torch.result_type's: operands of rank >= 1 decide,
    0-d operands count only when they bring a higher category (bool <
    integer < floating); a 0-d operand that was a C++ number in the eager
    call (a wrapped number: `f64` for floating, `i64` for integral numbers)
    counts below the 0-d tensors and a floating one as the default dtype. The
    trace does not say which 0-d operands were numbers, so the verifier
    accepts the result of either reading; inference assumes 0-d tensors.
}];

class Ember_BinaryOp<string mnemonic, string rule, string summaryText,
                     list<Trait> traits = [Ember_Differentiable]>
    : Ember_RuleOp<mnemonic, rule, traits> {
  let summary = summaryText;
  let arguments = (ins Ember_Tensor:$lhs, Ember_Tensor:$rhs);
  let results = (outs Ember_Tensor:$result);
}

// add and sub take torch's `alpha` (rhs is scaled by it).
class Ember_AlphaBinaryOp<string mnemonic, string summaryText,
                          list<Trait> traits = [Ember_Differentiable]>
    : Ember_BinaryOp<mnemonic, "binaryArith", summaryText, traits> {
  let arguments = (ins Ember_Tensor:$lhs, Ember_Tensor:$rhs,
                       OptionalAttr<Ember_ScalarAttr>:$alpha);
}

// Not Commutative: `alpha` scales rhs only.
def Ember_AddOp : Ember_AlphaBinaryOp<"add", "Elementwise lhs + alpha * rhs"> {
  let description = !strconcat([{
    Computes `lhs + alpha * rhs` elementwise (torch.add; `alpha` absent means
    1). Integer addition wraps around; on `i1` (bool) it is a logical or. A
    floating `alpha` with an integral result type is an error.
  }], Ember_BinaryRules, [{

    ```mlir
    %0 = ember.add %x, %bias : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
    %1 = ember.add %n, %h {alpha = 2 : i64} : (tensor<3xi64>, tensor<f64>) -> tensor<3xf32>
    ```

    Folds `x + 0` (and `0 + x` without `alpha`) to `x` when the result type
    is `x`'s type (for floats only with `-0.0`, the exact additive identity:
    `-0.0 + 0.0` is `+0.0`), and two small constants of the result's element
    type to a constant (without `alpha`).
  }]);
  let hasFolder = 1;
}

def Ember_SubOp : Ember_AlphaBinaryOp<"sub", "Elementwise lhs - alpha * rhs"> {
  let description = !strconcat([{
    Computes `lhs - alpha * rhs` elementwise (torch.sub). Integer subtraction
    wraps around. Like PyTorch, a bool result type is rejected.
  }], Ember_BinaryRules, [{

    ```mlir
    %0 = ember.sub %x, %mean : (tensor<4x3xf64>, tensor<4x1xf64>) -> tensor<4x3xf64>
    ```

    Folds `x - 0` to `x` when the result type is `x`'s type (for floats only
    with `+0.0`), and two small constants to a constant (without `alpha`).
  }]);
  let hasFolder = 1;
}

def Ember_MulOp : Ember_BinaryOp<"mul", "binaryArith",
                                 "Elementwise multiplication",
                                 [Ember_Differentiable, Commutative]> {
  let description = !strconcat([{
    Computes `lhs * rhs` elementwise (torch.mul). Integer multiplication
    wraps around; on `i1` (bool) it is a logical and.
  }], Ember_BinaryRules, [{

    ```mlir
    %0 = ember.mul %x, %scale : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    ```

    Folds `x * 1` to `x` when the result type is `x`'s type, and two small
    constants to a constant. `x * 0` is not folded: `NaN * 0` is `NaN`.
  }]);
  let hasFolder = 1;
}

def Ember_DivOp : Ember_BinaryOp<"div", "binaryDiv", "Elementwise true division"> {
  let description = !strconcat([{
    Computes `lhs / rhs` elementwise (torch.div, true division): integer and
    bool operands are divided in the default float type.
  }], Ember_BinaryRules, [{

    ```mlir
    %0 = ember.div %x, %n : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
    %1 = ember.div %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xf32>
    ```

    Folds `x / 1` to `x` when the result type is `x`'s type, and two small
    floating constants to a constant.
  }]);
  let hasFolder = 1;
}

def Ember_PowOp : Ember_BinaryOp<"pow", "binaryArith", "Elementwise power"> {
  let description = !strconcat([{
    Computes `lhs ^ rhs` elementwise (torch.pow). Integers to negative
    integer powers are an error at run time (not checked here).
  }], Ember_BinaryRules, [{

    ```mlir
    %0 = ember.pow %x, %two : (tensor<4xf32>, tensor<f64>) -> tensor<4xf32>
    ```
  }]);
}

def Ember_MaximumOp : Ember_BinaryOp<"maximum", "binaryArith",
                                     "Elementwise maximum (NaN propagates)",
                                     [Ember_Differentiable, Commutative]> {
  let description = !strconcat([{
    `max(lhs, rhs)` elementwise (torch.maximum); a NaN operand gives NaN.
  }], Ember_BinaryRules, [{

    ```mlir
    %0 = ember.maximum %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    ```
  }]);
  let hasFolder = 1;
}

def Ember_MinimumOp : Ember_BinaryOp<"minimum", "binaryArith",
                                     "Elementwise minimum (NaN propagates)",
                                     [Ember_Differentiable, Commutative]> {
  let description = !strconcat([{
    `min(lhs, rhs)` elementwise (torch.minimum); a NaN operand gives NaN.
  }], Ember_BinaryRules, [{

    ```mlir
    %0 = ember.minimum %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    ```
  }]);
  let hasFolder = 1;
}

// Logical ops and comparisons: broadcast shape, bool result.
class Ember_BoolBinaryOp<string mnemonic, string summaryText,
                         list<Trait> traits = []>
    : Ember_BinaryOp<mnemonic, "binaryBool", summaryText, traits> {
  let description = [{
    `}] # summaryText # [{` elementwise, as a bool (`i1`) tensor of the
    broadcast shape of the operands (numpy broadcasting); the operands may
    have any element types (they are compared in their promoted type).

    ```mlir
    %0 = ember.}] # mnemonic # [{ %a, %b : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xi1>
    ```
  }];
}

def Ember_LogicalAndOp : Ember_BoolBinaryOp<"logical_and", "lhs != 0 and rhs != 0", [Commutative]>;
def Ember_LogicalOrOp : Ember_BoolBinaryOp<"logical_or", "lhs != 0 or rhs != 0", [Commutative]>;
def Ember_LogicalXorOp : Ember_BoolBinaryOp<"logical_xor", "(lhs != 0) != (rhs != 0)", [Commutative]>;
// Comparisons of two small literals of one element type fold to a literal.
class Ember_CompareOp<string mnemonic, string summaryText,
                      list<Trait> traits = []>
    : Ember_BoolBinaryOp<mnemonic, summaryText, traits> {
  let hasFolder = 1;
}
def Ember_EqOp : Ember_CompareOp<"eq", "lhs == rhs", [Commutative]>;
def Ember_NeOp : Ember_CompareOp<"ne", "lhs != rhs", [Commutative]>;
def Ember_LtOp : Ember_CompareOp<"lt", "lhs < rhs">;
def Ember_LeOp : Ember_CompareOp<"le", "lhs <= rhs">;
def Ember_GtOp : Ember_CompareOp<"gt", "lhs > rhs">;
def Ember_GeOp : Ember_CompareOp<"ge", "lhs >= rhs">;

//===----------------------------------------------------------------------===//
// In-place binary forms (value semantics: the result is the new `self`)
//===----------------------------------------------------------------------===//

class Ember_InplaceBinaryOp<string mnemonic, string summaryText>
    : Ember_RuleOp<mnemonic, "binaryInplace", [Ember_Differentiable]> {
  let summary = summaryText;
  let description = [{
    `self.}] # mnemonic # [{(other)` on value semantics: the result is the new
    value of `self` and has `self`'s type (the importer and the functionalize
    pass relate it to `self`'s aliases). `other` must broadcast to `self`'s
    shape, and the promoted type of the operation must cast to `self`'s
    element type (no floating into integer, nothing into bool but bool).

    ```mlir
    %0 = ember.}] # mnemonic # [{ %x, %g : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
    ```
  }];
  let results = (outs Ember_Tensor:$result);
}

def Ember_AddInplaceOp : Ember_InplaceBinaryOp<"add_", "In-place self + alpha * other"> {
  let arguments = (ins Ember_Tensor:$self, Ember_Tensor:$other,
                       OptionalAttr<Ember_ScalarAttr>:$alpha);
}
def Ember_SubInplaceOp : Ember_InplaceBinaryOp<"sub_", "In-place self - alpha * other"> {
  let arguments = (ins Ember_Tensor:$self, Ember_Tensor:$other,
                       OptionalAttr<Ember_ScalarAttr>:$alpha);
}
def Ember_MulInplaceOp : Ember_InplaceBinaryOp<"mul_", "In-place self * other"> {
  let arguments = (ins Ember_Tensor:$self, Ember_Tensor:$other);
}
def Ember_DivInplaceOp : Ember_InplaceBinaryOp<"div_", "In-place self / other"> {
  let arguments = (ins Ember_Tensor:$self, Ember_Tensor:$other);
}

//===----------------------------------------------------------------------===//
// Ternary
//===----------------------------------------------------------------------===//

def Ember_WhereOp : Ember_RuleOp<"where", "where", [Ember_Differentiable]> {
  let summary = "Elementwise select: condition ? lhs : rhs";
  let description = [{
    torch.where(condition, lhs, rhs). `condition` is a bool (`i1`) tensor; the
    three operands broadcast together, and the element type is
    torch.result_type of `lhs` and `rhs` (see ember.add).

    ```mlir
    %0 = ember.where %c, %x, %y : (tensor<4x1xi1>, tensor<4x3xf32>, tensor<f64>) -> tensor<4x3xf32>
    ```

    A splat literal condition folds to the operand it selects, when that
    operand has the result type.
  }];
  let hasFolder = 1;
  let arguments = (ins Ember_Tensor:$condition, Ember_Tensor:$lhs,
                       Ember_Tensor:$rhs);
  let results = (outs Ember_Tensor:$result);
}

def Ember_MaskedFillOp : Ember_RuleOp<"masked_fill", "maskedFill",
                                      [Ember_Differentiable]> {
  let summary = "Replace the elements where mask is true by value";
  let description = [{
    torch.masked_fill: `mask` is a bool tensor broadcast with `input`; the
    result has the broadcast shape and `input`'s element type. A floating
    `value` on a non-floating `input` is an error.

    ```mlir
    %0 = ember.masked_fill %scores, %causal {value = -1.0e+09 : f64} : (tensor<8x8xf32>, tensor<8x8xi1>) -> tensor<8x8xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$input, Ember_Tensor:$mask,
                       Ember_ScalarAttr:$value);
  let results = (outs Ember_Tensor:$result);
}

def Ember_MaskedFillInplaceOp : Ember_RuleOp<"masked_fill_", "maskedFillInplace",
                                             [Ember_Differentiable]> {
  let summary = "In-place masked_fill (value semantics)";
  let description = [{
    `self.masked_fill_(mask, value)`: the result is the new value of `self`;
    `mask` must broadcast to `self`'s shape.

    ```mlir
    %0 = ember.masked_fill_ %x, %m {value = 0 : i64} : (tensor<4xi64>, tensor<4xi1>) -> tensor<4xi64>
    ```
  }];
  let arguments = (ins Ember_Tensor:$self, Ember_Tensor:$mask,
                       Ember_ScalarAttr:$value);
  let results = (outs Ember_Tensor:$result);
}

#endif // EMBER_IR_EMBERELEMENTWISEOPS_TD
