// The embedding API of the system's CPython (Debian package libpython3-dev; pkg-config python3-embed), for
// arbiter-python-zygote only: no library of Arbiter links libpython.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
