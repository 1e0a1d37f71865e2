#include "zkio.h"
int main(void) { zk_puts("exiting with 42\n"); return 42; }
