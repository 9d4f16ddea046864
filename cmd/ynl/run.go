package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// Exit statuses.
const (
	exitOK     = 0
	exitKernel = 1
	exitUsage  = 2
)

// run is the whole command: it parses args, does the work and returns the
// exit status, printing results to stdout and errors to stderr.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		// A bug must not greet the user with a stack trace; say what
		// happened and exit like any other failure.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "ynl: internal error: %v\n", r)
			code = exitKernel
		}
	}()
	o, err := parseOptions(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err == nil {
		ctx := context.Background()
		if o.subscribe != "" {
			// Listening ends with the duration or at an interrupt, which
			// ends it cleanly (exit 0). Nothing else waits long enough to
			// need a handler: an interrupt kills a do or a dump as it kills
			// any command, and a program that only runs one request does
			// not pay for the signal goroutine and thread.
			var stop context.CancelFunc
			ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
		}
		err = dispatch(ctx, o, &printer{w: stdout, json: o.outputJSON, ew: stderr})
	}
	return report(err, stderr)
}

// report prints err and picks the exit status.
func report(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	var fe family.ErrorList
	var se *silentError
	if errors.As(err, &se) {
		return se.code
	}
	// Only a kernel error returned as is prints in the kernel tools'
	// format; one wrapped by genl into its own error (a family that is not
	// registered, say) prints that error's message instead.
	ke, _ := err.(*genl.Error)
	switch {
	case ke != nil:
		fmt.Fprint(stderr, formatKernelError(ke))
		if ke.Errno == syscall.EPERM {
			fmt.Fprintln(stderr, "ynl: the kernel refused: this operation needs CAP_NET_ADMIN (run as root, or grant the capability; in a user namespace, CAP_NET_ADMIN over its network namespace)")
		}
		return exitKernel
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "ynl: %v\n", err)
		if ue.flags {
			fmt.Fprintln(stderr, "Try 'ynl --help' for more information.")
		}
		return exitUsage
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "ynl: spec errors:\n%v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "ynl: %v\n", err)
	return exitKernel
}

// dispatch runs the action the options ask for.
func dispatch(ctx context.Context, o *options, p *printer) error {
	switch {
	case o.version:
		return printVersion(p)
	case o.listFamilies:
		return listFamilies(p)
	case o.listKernel:
		return listKernelFamilies(ctx, p)
	}
	fam, err := loadFamily(o)
	if err != nil {
		return err
	}
	switch {
	case o.decode:
		return runDecode(ctx, o, p, fam)
	case o.validate:
		fmt.Fprintf(p.w, "%s: ok (%s, %d operations, %d attribute sets)\n", fam.FileName, fam.Protocol, len(fam.Operations.List), len(fam.AttributeSets))
		return nil
	case o.listOps:
		listOps(p.w, fam, false)
		return nil
	case o.listMsgs:
		listOps(p.w, fam, true)
		return nil
	case o.listAttrs != "":
		return listAttrs(p.w, fam, o.listAttrs)
	case o.policy && (o.do != "" || o.dump != ""):
		if o.do != "" {
			err = printPolicy(ctx, p, fam, o.do, "do")
		} else {
			err = printPolicy(ctx, p, fam, o.dump, "dump")
		}
		if err != nil || o.subscribe == "" {
			return err
		}
		o.do, o.dump = "", ""
	case o.policy && o.subscribe == "" && len(o.multi) == 0:
		return nil // pyynl: --policy without --do or --dump does nothing
	case o.checkKernel:
		return checkKernel(ctx, p.w, fam)
	}
	return runOps(ctx, o, p, fam)
}
