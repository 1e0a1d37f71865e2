/* jumps outside the code region: the VM must stop in a trapped state (cause 3) */
#include "zkio.h"
int main(void) { zk_puts("jumping to 0x30000\n"); void (*f)(void) = (void (*)(void))0x30000; f(); return 0; }
