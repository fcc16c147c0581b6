// The host of the tests' shared precompiled header (CMakeLists.txt, leakhunt_test): a test
// program with no test, so that the header is built with exactly the tests' flags.
