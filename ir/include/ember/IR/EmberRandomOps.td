//===- EmberRandomOps.td - random number ops ---------------*- tablegen -*-===//
//
// The random ops of ops.def (family Random): counter-based Philox draws. Each
// carries the `seed` and `offset` its eager call reserved from the
// generator, so it is a deterministic function of its operands and
// attributes: Pure (see Ember_RuleOp), and the compiled program draws the
// very numbers eager would have drawn.
//
//===----------------------------------------------------------------------===//

#ifndef EMBER_IR_EMBERRANDOMOPS_TD
#define EMBER_IR_EMBERRANDOMOPS_TD

include "ember/IR/EmberDialect.td"

def Ember_UniformInplaceOp : Ember_RuleOp<"uniform_", "randomInplace"> {
  let summary = "In-place uniform draw in [from, to)";
  let description = [{
    `self.uniform_(from, to)` on value semantics: a tensor of `self`'s
    (floating) type of draws from U[from, to).

    ```mlir
    %0 = ember.uniform_ %x {from = 0.0 : f64, offset = 0 : i64, seed = 42 : i64, to = 1.0 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$self, F64Attr:$from, F64Attr:$to,
                       I64Attr:$seed, I64Attr:$offset);
  let results = (outs Ember_Tensor:$result);
}

def Ember_NormalInplaceOp : Ember_RuleOp<"normal_", "randomInplace"> {
  let summary = "In-place normal draw N(mean, std^2)";
  let description = [{
    `self.normal_(mean, std)` on value semantics.

    ```mlir
    %0 = ember.normal_ %x {mean = 0.0 : f64, offset = 8 : i64, seed = 42 : i64, std = 1.0 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$self, F64Attr:$mean, F64Attr:$std,
                       I64Attr:$seed, I64Attr:$offset);
  let results = (outs Ember_Tensor:$result);
}

def Ember_RandintOp : Ember_RuleOp<"randint", "factory"> {
  let assemblyFormat = "attr-dict `:` type($result)";
  let summary = "Uniform integers in [low, high)";
  let description = [{
    torch.randint(low, high, size, dtype, device).

    ```mlir
    %0 = ember.randint {device = "cpu", dtype = i64, high = 10 : i64, low = 0 : i64, offset = 0 : i64, seed = 1 : i64, size = array<i64: 4>} : tensor<4xi64>
    ```
  }];
  let arguments = (ins I64Attr:$low, I64Attr:$high, DenseI64ArrayAttr:$size,
                       Ember_DTypeAttr:$dtype, Ember_DeviceAttr:$device,
                       I64Attr:$seed, I64Attr:$offset);
  let results = (outs Ember_Tensor:$result);
}

def Ember_RandpermOp : Ember_RuleOp<"randperm", "factory"> {
  let assemblyFormat = "attr-dict `:` type($result)";
  let summary = "A random permutation of 0..n-1";
  let description = [{
    torch.randperm(n, dtype, device); `dtype` is not bool.

    ```mlir
    %0 = ember.randperm {device = "cpu", dtype = i64, n = 5 : i64, offset = 0 : i64, seed = 1 : i64} : tensor<5xi64>
    ```
  }];
  let arguments = (ins I64Attr:$n, Ember_DTypeAttr:$dtype,
                       Ember_DeviceAttr:$device, I64Attr:$seed,
                       I64Attr:$offset);
  let results = (outs Ember_Tensor:$result);
}

def Ember_BernoulliOp : Ember_RuleOp<"bernoulli", "bernoulli"> {
  let summary = "Bernoulli draws with probabilities p";
  let description = [{
    torch.bernoulli(p): 0 or 1 per element, 1 with probability `p` (a
    floating tensor); the result has `p`'s type. Element i compares lane
    i % E of Philox block `offset + i / E` (E = 4 for f32, 2 for f64) with
    p, as the eager kernel does.

    With `generator` = (offset base, seed low 32 bits, seed high 32 bits),
    three 0-d f64 tensors, the draw starts at block `base + offset` under
    that seed (the `seed` attribute is then the traced call's): a traced
    function's draws from the default generator take them from each
    compiled call (the host scalars "rng_offset", "rng_seed_lo",
    "rng_seed_hi"), so every call draws anew while an eager and a compiled
    call from the same generator state draw the same numbers. Only this
    form lowers.
    ```mlir
    %0 = ember.bernoulli %p {offset = 0 : i64, seed = 1 : i64} : (tensor<4xf32>) -> tensor<4xf32>
    %1 = ember.bernoulli %p, %base, %lo, %hi {offset = 4 : i64, seed = 1 : i64} : (tensor<4xf32>, tensor<f64>, tensor<f64>, tensor<f64>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Ember_Tensor:$p, Variadic<Ember_Tensor>:$generator,
                       I64Attr:$seed, I64Attr:$offset);
  let results = (outs Ember_Tensor:$result);
}

#endif // EMBER_IR_EMBERRANDOMOPS_TD
