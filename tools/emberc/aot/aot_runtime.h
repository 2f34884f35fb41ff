// The run-time half of emberc's outputs, shared by --emit=exe (aot_main.cpp)
// and --emit=lib (the generated <name>_run wrappers): where the weights
// live (embedded in the generated model file, or loaded from a safetensors
// file with --weights=external), and one call of the compiled entry point
// on contiguous buffers. A C ABI, so a C program links it through the
// library; it never throws and never prints: failures return nonzero and
// leave a message for ember_aot_last_error().
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/// Loads every weight of the model from the safetensors file at `path`
/// (each present with the signature's dtype and shape; other tensors are
/// ignored), replacing the current weights. 0 on success.
int ember_aot_load_weights(const char *path);

/// Writes the current weights (a training step's updated state) to `path`
/// as a safetensors file, atomically. 0 on success.
int ember_aot_save_weights(const char *path);

/// Whether every weight has a value (always, when they are embedded).
int ember_aot_weights_ready(void);

/// One run: inputs[i] and outputs[j] point at contiguous C-order buffers of
/// the signature's dtype and shape. A training step's run is one step: it
/// updates the weights. 0 on success.
int ember_aot_run(const void *const *inputs, void *const *outputs);

/// The message of the last failure in this thread ("" when none).
const char *ember_aot_last_error(void);

#ifdef __cplusplus
}
#endif
