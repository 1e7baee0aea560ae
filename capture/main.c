/* placeholder: being written */
#include "config.h"
#include <stdio.h>
int main(void) { fputs("not yet\n", stderr); return 1; }
