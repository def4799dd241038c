// The C headers the Tensor module sees: OpenBLAS's CBLAS interface (Debian package libopenblas-dev) and
// glibc's malloc tuning (`mallopt`), which Swift's Glibc module does not export.
#include <cblas.h>
#include <malloc.h>
