/* source.c: placeholder being written */
#include "config.h"
#include "source.h"
