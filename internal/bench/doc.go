// Package bench compares the prebuilt families with the libraries users
// would pick instead, end to end against the running kernel. It is a
// module of its own so that the main module does not depend on those
// libraries; see README.md for how to run it and the numbers measured.
package bench
