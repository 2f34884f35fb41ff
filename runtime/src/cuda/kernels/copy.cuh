// Copies with conversion into `dst_t` (set by the module's prelude), one
// kernel per source dtype, with dtype.h's conversion rules.
#define EMBER_COPY_FROM(NAME, S)                                               \
  EMBER_KERNEL(ember_copy_from_##NAME)                                         \
  (dst_t * out, const S *in, Geom g, i64 n) {                                  \
    EMBER_GRID_LOOP(i, n) {                                                    \
      i64 o[2];                                                                \
      ember_offsets<2>(g, i, o);                                               \
      out[o[0]] = em_convert<dst_t, S>(in[o[1]]);                              \
    }                                                                          \
  }
EMBER_COPY_FROM(bool, bool)
EMBER_COPY_FROM(uint8, unsigned char)
EMBER_COPY_FROM(int32, int)
EMBER_COPY_FROM(int64, i64)
EMBER_COPY_FROM(float32, float)
EMBER_COPY_FROM(float64, double)
#undef EMBER_COPY_FROM
