// arbiter-box-init: the init of a box, exec'd by CSandbox (see helper.c). Not meant to be run by hand.
#include "csandbox.h"

int main(void) { return csb_init_main(); }
