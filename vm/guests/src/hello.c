#include "zkio.h"
int main(void) { zk_puts("hello from zkfp\n"); return 0; }
