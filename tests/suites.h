/* suites.h: prototypes of every suite (tests/test_*.c), from the generated suites.def. */
#ifndef SVCLINT_TEST_SUITES_H
#define SVCLINT_TEST_SUITES_H

#include <check.h>

#define SUITE(name) Suite *name##_suite(void);
#include "suites.def"
#undef SUITE

#endif
