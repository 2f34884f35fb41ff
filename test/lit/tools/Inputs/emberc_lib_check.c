/* A plain C11 program that links an `emberc --emit=lib --name=mlp` library
   of ember-package-example's MLP (test/lit/tools/emberc-lib.test): it runs
   mlp_run on the golden input x.npy and checks the outputs against the
   golden log_probs.npy, within |got - want| <= 1e-5 + 1e-4 |want| (the
   compiled GEMMs sum in another order than eager), and that failures are
   reported, not crashed on: null buffers, and with external weights,
   running before loading them and loading a missing file, a file that
   lacks the tensors, and one whose fc1.weight has the wrong dtype and
   shape.

     emberc_lib_check x.npy log_probs.npy [weights.safetensors scratch-dir] */
#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

static void check(int ok, const char *what) {
  printf("%s: %s\n", ok ? "ok" : "FAILED", what);
  failures += !ok;
}

/* Reads the data of a version-1 .npy file into `out`, which must hold
   exactly `nbytes` (the header itself is emberc's exe tests' concern). */
static int read_npy(const char *path, void *out, size_t nbytes) {
  unsigned char head[10];
  FILE *f = fopen(path, "rb");
  size_t header, got;
  if (!f || fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY\x01", 7)) {
    fprintf(stderr, "cannot read the .npy file '%s'\n", path);
    exit(2);
  }
  header = (size_t)head[8] | (size_t)head[9] << 8;
  fseek(f, (long)(10 + header), SEEK_SET);
  got = fread(out, 1, nbytes, f);
  if (got != nbytes || fgetc(f) != EOF) {
    fprintf(stderr, "'%s' does not hold %zu data bytes\n", path, nbytes);
    exit(2);
  }
  fclose(f);
  return 0;
}

/* A safetensors file whose header is `json` and whose data is `nbytes`
   zero bytes. */
static void write_safetensors(const char *path, const char *json,
                              size_t nbytes) {
  FILE *f = fopen(path, "wb");
  unsigned long long n = strlen(json);
  unsigned char len[8];
  int b;
  for (b = 0; b < 8; ++b)
    len[b] = (unsigned char)(n >> (8 * b));
  fwrite(len, 1, 8, f);
  fwrite(json, 1, (size_t)n, f);
  while (nbytes--)
    fputc(0, f);
  fclose(f);
}

static void expect_load_error(const char *path, const char *needle) {
  int rc = mlp_load_weights(path);
  printf("load '%s': %s\n", path, mlp_last_error());
  check(rc != 0 && strstr(mlp_last_error(), needle) != NULL, needle);
}

int main(int argc, char **argv) {
  static float x[MLP_X_NUMEL], want[MLP_LOG_PROBS_NUMEL],
      got[MLP_LOG_PROBS_NUMEL];
  mlp_inputs in;
  mlp_outputs out;
  double worst = 0;
  int i, ok = 1;
  if (argc != 3 && argc != 5) {
    fprintf(stderr, "usage: %s x.npy log_probs.npy [weights scratch]\n",
            argv[0]);
    return 2;
  }
  /* The header's constants describe the signature: x [2, 4] -> [2, 3]. */
  check(MLP_NUM_INPUTS == 1 && MLP_NUM_OUTPUTS == 1, "one input, one output");
  check(MLP_X_RANK == 2 && MLP_X_SIZE0 == 2 && MLP_X_SIZE1 == 4 &&
            MLP_X_BYTES == 8 * sizeof(float),
        "x constants");
  check(MLP_LOG_PROBS_RANK == 2 && MLP_LOG_PROBS_SIZE1 == 3 &&
            MLP_LOG_PROBS_NUMEL == 6,
        "log_probs constants");
  read_npy(argv[1], x, sizeof x);
  read_npy(argv[2], want, sizeof want);
  in.x = x;
  out.log_probs = got;

  if (MLP_WEIGHTS_EXTERNAL) {
    char path[4096];
    check(argc == 5, "external weights: a weights file is given");
    check(mlp_run(&in, &out) != 0 &&
              strstr(mlp_last_error(), "not loaded") != NULL,
          "running before loading the weights is an error");
    snprintf(path, sizeof path, "%s/missing.safetensors", argv[4]);
    expect_load_error(path, "cannot open");
    snprintf(path, sizeof path, "%s/empty.safetensors", argv[4]);
    write_safetensors(path, "{}", 0);
    expect_load_error(path, "has no tensor 'fc1.weight'");
    snprintf(path, sizeof path, "%s/wrong.safetensors", argv[4]);
    write_safetensors(path,
                      "{\"fc1.weight\":{\"dtype\":\"F64\",\"shape\":[4,8],"
                      "\"data_offsets\":[0,256]}}",
                      256);
    expect_load_error(path, "is F64 [4, 8], expected F32 [8, 4]");
    check(mlp_load_weights(argv[3]) == 0, "the weights load");
    if (mlp_last_error()[0])
      printf("error: %s\n", mlp_last_error());
  }

  check(mlp_run(&in, NULL) != 0 && strstr(mlp_last_error(), "null") != NULL,
        "a null outputs struct is an error");
  if (mlp_run(&in, &out) != 0) {
    printf("FAILED: mlp_run: %s\n", mlp_last_error());
    return 1;
  }
  for (i = 0; i < MLP_LOG_PROBS_NUMEL; ++i) {
    double err = fabs((double)got[i] - want[i]);
    if (err > worst)
      worst = err;
    if (!(err <= 1e-5 + 1e-4 * fabs(want[i])))
      ok = 0;
  }
  printf("max abs error %g\n", worst);
  check(ok, "outputs equal the goldens");
  printf("%s\n", failures ? "FAILED" : "passed");
  return failures ? 1 : 0;
}
