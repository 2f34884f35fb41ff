// What emberc --emit=exe and --emit=lib generate for a model and
// aot_runtime.cpp / aot_main.cpp read: the signature, the weights and
// goldens (embedded bytes; with --weights=external the weights' data is
// null and is loaded from a safetensors file at run time) and the compiled
// entry point. Plain C declarations, so the generated file is small and
// needs nothing from ember.
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// dtype codes: ember::DType's values.
enum {
  EMBER_AOT_BOOL = 0,
  EMBER_AOT_U8 = 1,
  EMBER_AOT_I32 = 2,
  EMBER_AOT_I64 = 3,
  EMBER_AOT_F32 = 4,
  EMBER_AOT_F64 = 5
};

typedef struct {
  const char *name;
  int dtype;
  int rank;
  const int64_t *sizes;
  const unsigned char *data; /* weights and goldens: the values */
  int64_t nbytes;
} ember_aot_tensor;

extern const char ember_aot_description[];
/* 1 when the weights are not embedded (emberc --weights=external); then
   ember_aot_weights_file names the safetensors file emberc wrote (its base
   name: the executable looks for it beside itself). */
extern const int ember_aot_weights_external;
extern const char ember_aot_weights_file[];
extern const int ember_aot_num_inputs, ember_aot_num_outputs,
    ember_aot_num_weights, ember_aot_num_goldens;
extern const ember_aot_tensor ember_aot_inputs[], ember_aot_outputs[],
    ember_aot_weights[];
/* golden k, input i: ember_aot_golden_inputs[k * num_inputs + i] */
extern const ember_aot_tensor ember_aot_golden_inputs[],
    ember_aot_golden_outputs[];
/* Training steps (none otherwise): the compiled function returns
   ember_aot_num_step_results more results after the outputs (their specs:
   ember_aot_step_results), and after each run, result `result` of those is
   copied into weight `weight` (or added to it when `add`: a .grad). */
typedef struct {
  int result;
  int weight;
  int add;
} ember_aot_update;
extern const int ember_aot_num_step_results, ember_aot_num_updates;
extern const ember_aot_tensor ember_aot_step_results[];
extern const ember_aot_update ember_aot_updates[];
/* The packed entry point: args[i] points at the i-th scalar of the memref
   descriptors of the inputs, the weights, the outputs, then the step
   results. */
void ember_aot_entry(void **args);

#ifdef __cplusplus
}
#endif
