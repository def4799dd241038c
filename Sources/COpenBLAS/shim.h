// The one C header the Tensor module sees: OpenBLAS's CBLAS interface (Debian package libopenblas-dev).
#include <cblas.h>
