package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mdlayher/netlink"

	"github.com/ynlgo/ynl/internal/lazyre"
)

// options are the parsed command line.
type options struct {
	family, spec string
	overlays     listFlag
	listFamilies bool
	validate     bool

	do, dump    string
	multi       []multiOp
	listOps     bool
	listMsgs    bool
	listAttrs   string
	policy      bool
	checkKernel bool

	json       string
	outputJSON bool
	noValidate bool

	subscribe string
	duration  float64

	flags netlink.HeaderFlags

	processUnknown *bool
	version        bool

	smallRecv     int // --dbg-small-recv: receive buffer size, 0 = default
	listKernel    bool
	listenAllNSID bool

	decode     bool     // ynl decode [FILE]
	decodeFile string   // the capture; "" or "-" for stdin
	ids        listFlag // --id NAME=ID: family ids of a capture
}

// multiOp is one --multi DO-OP JSON pair.
type multiOp struct{ op, json string }

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// nlFlag sets one NLM_F_* bit when given.
type nlFlag struct {
	dst *netlink.HeaderFlags
	bit netlink.HeaderFlags
}

func (f nlFlag) String() string   { return "" }
func (f nlFlag) IsBoolFlag() bool { return true }
func (f nlFlag) Set(s string) error {
	if s == "true" {
		*f.dst |= f.bit
	} else {
		*f.dst &^= f.bit
	}
	return nil
}

// optBool is a tri-state boolean: unset, true or false.
type optBool struct {
	dst **bool
	val bool
}

func (b optBool) String() string   { return "" }
func (b optBool) IsBoolFlag() bool { return true }
func (b optBool) Set(s string) error {
	v := (s == "true") == b.val
	*b.dst = &v
	return nil
}

// usageError is a mistake on the command line or in its input; it exits 2.
// flags marks mistakes in the flags themselves, which get a pointer to
// --help.
type usageError struct {
	msg   string
	flags bool
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// parseOptions parses args; -h prints the help and returns flag.ErrHelp.
func parseOptions(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	args, multi, err := takeMulti(args)
	if err != nil {
		return nil, err
	}
	o.multi = multi
	if args, o.smallRecv, err = takeSmallRecv(args); err != nil {
		return nil, err
	}
	if len(args) > 0 && args[0] == "decode" {
		o.decode, args = true, args[1:]
	}
	fs := flag.NewFlagSet("ynl", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.family, "family", "", "")
	fs.StringVar(&o.spec, "spec", "", "")
	fs.Var(&o.overlays, "overlay", "")
	fs.BoolVar(&o.listFamilies, "list-families", false, "")
	fs.BoolVar(&o.listKernel, "list-kernel-families", false, "")
	fs.BoolVar(&o.validate, "validate", false, "")
	fs.StringVar(&o.do, "do", "", "")
	fs.StringVar(&o.dump, "dump", "", "")
	fs.BoolVar(&o.listOps, "list-ops", false, "")
	fs.BoolVar(&o.listMsgs, "list-msgs", false, "")
	fs.StringVar(&o.listAttrs, "list-attrs", "", "")
	fs.StringVar(&o.listAttrs, "doc", "", "")
	fs.BoolVar(&o.policy, "policy", false, "")
	fs.BoolVar(&o.checkKernel, "check-kernel", false, "")
	fs.StringVar(&o.json, "json", "", "")
	fs.BoolVar(&o.outputJSON, "output-json", false, "")
	fs.BoolVar(&o.noValidate, "no-validate", false, "")
	fs.StringVar(&o.subscribe, "subscribe", "", "")
	fs.Float64Var(&o.duration, "duration", 0, "")
	fs.Float64Var(&o.duration, "sleep", 0, "")
	fs.BoolVar(&o.listenAllNSID, "listen-all-nsid", false, "")
	fs.Var(&o.ids, "id", "")
	fs.Var(nlFlag{&o.flags, netlink.Create}, "create", "")
	fs.Var(nlFlag{&o.flags, netlink.Excl}, "excl", "")
	fs.Var(nlFlag{&o.flags, netlink.Replace}, "replace", "")
	fs.Var(nlFlag{&o.flags, netlink.Append}, "append", "")
	fs.Var(optBool{&o.processUnknown, true}, "process-unknown", "")
	fs.Var(optBool{&o.processUnknown, false}, "no-process-unknown", "")
	fs.BoolVar(&o.version, "version", false, "")
	// Accepted so the Python tool's command lines keep working; the spec
	// loader always validates specs.
	fs.String("schema", "", "")
	fs.Bool("no-schema", false, "")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprint(stderr, helpText)
			return nil, err
		}
		return nil, &usageError{dashesAsTyped(err.Error(), args), true}
	}
	if o.decode && fs.NArg() == 1 {
		o.decodeFile = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return nil, &usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0)), true}
	}
	if err := o.check(); err != nil {
		return nil, &usageError{err.Error(), true}
	}
	return o, nil
}

// takeMulti removes each --multi DO-OP JSON from args: the flag package
// has no flags of two values, and the Python tool's --multi takes two.
func takeMulti(args []string) (rest []string, multi []multiOp, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(rest, args[i:]...), multi, nil
		}
		if a != "--multi" && a != "-multi" {
			rest = append(rest, a)
			continue
		}
		if i+2 >= len(args) {
			return nil, nil, &usageError{"flag needs two arguments: " + a + " DO-OP JSON", true}
		}
		multi = append(multi, multiOp{op: args[i+1], json: args[i+2]})
		i += 2
	}
	return rest, multi, nil
}

// takeSmallRecv removes --dbg-small-recv [INT] from args: its value is
// optional (4000 when left out), which the flag package cannot express.
func takeSmallRecv(args []string) (rest []string, size int, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(rest, args[i:]...), size, nil
		}
		name, val, hasVal := strings.Cut(a, "=")
		if name != "--dbg-small-recv" && name != "-dbg-small-recv" {
			rest = append(rest, a)
			continue
		}
		size = 4000
		if !hasVal && i+1 < len(args) {
			if _, err := strconv.Atoi(args[i+1]); err == nil {
				val, hasVal = args[i+1], true
				i++
			}
		}
		if hasVal {
			if size, err = strconv.Atoi(val); err != nil {
				return nil, 0, &usageError{fmt.Sprintf("invalid value %q for --dbg-small-recv: want a number of bytes", val), true}
			}
		}
		if size < 4000 {
			// The kernel allocates at least a page less its overhead for
			// a message; a smaller buffer would truncate (pyynl refuses
			// it too).
			return nil, 0, &usageError{fmt.Sprintf("--dbg-small-recv %d: the size must be at least 4000", size), true}
		}
	}
	return rest, size, nil
}

// flagInError matches a flag name in the flag package's errors, which
// always print it with one dash ("flag needs an argument: -do").
var flagInError = &lazyre.Regexp{Expr: `(: |for flag |for )-([^\s:=]+)`}

// dashesAsTyped rewrites the flag named in a flag package error to the
// spelling the user typed: ynl's flags are documented as --name, so an error
// saying -name would point at something the user never wrote.
func dashesAsTyped(msg string, args []string) string {
	return flagInError.RE().ReplaceAllStringFunc(msg, func(m string) string {
		sub := flagInError.RE().FindStringSubmatch(m)
		return sub[1] + typedFlag(sub[2], args)
	})
}

// typedFlag returns flag name as it appears in args: "-name" or "--name"
// (the latter when it does not appear, the documented spelling).
func typedFlag(name string, args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		flagPart, _, _ := strings.Cut(a, "=")
		if flagPart == "-"+name {
			return "-" + name
		}
		if flagPart == "--"+name {
			return "--" + name
		}
	}
	return "--" + name
}

// check enforces the groups of mutually exclusive flags.
func (o *options) check() error {
	if o.version {
		return nil
	}
	if n := count(o.family != "", o.spec != "", o.listFamilies, o.listKernel); n != 1 {
		return usagef("give exactly one of --family, --spec, --list-families and --list-kernel-families")
	}
	if n := count(o.do != "", o.dump != "", len(o.multi) > 0, o.listOps, o.listMsgs, o.listAttrs != "", o.checkKernel, o.validate); n > 1 {
		return usagef("--do, --dump, --multi, --list-ops, --list-msgs, --list-attrs, --check-kernel and --validate exclude each other")
	}
	if len(o.multi) > 0 && o.json != "" {
		return usagef("--json does not apply to --multi, which takes each op's JSON after its name")
	}
	if o.decode && (o.do != "" || o.dump != "" || len(o.multi) > 0 || o.subscribe != "" || o.listFamilies || o.listKernel) {
		return usagef("decode takes a family (--family or --spec), --id and a capture file, no ops")
	}
	if len(o.ids) > 0 && !o.decode {
		return usagef("--id applies to decode")
	}
	if o.listenAllNSID && o.subscribe == "" {
		return usagef("--listen-all-nsid applies to --subscribe")
	}
	if o.duration < 0 {
		return usagef("--duration must not be negative")
	}
	return nil
}

func count(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

const helpText = `usage: ynl (--family NAME | --spec FILE | --list-families | --list-kernel-families) [options]
       ynl decode (--family NAME | --spec FILE) [--id NAME=ID]... [--output-json] [FILE]

YNL CLI: a general purpose netlink utility that uses YAML specs to drive
protocol encoding and decoding.

Netlink family selection:
  --family NAME          family to use (built-in spec, else YNL_SPEC_PATH)
  --spec FILE            the family's YAML spec file
  --overlay FILE         merge an overlay spec (repeatable, applied in order)
  --list-families        list the families ynl has a spec for (built in,
                         or on YNL_SPEC_PATH), one name a line
  --list-kernel-families list the generic netlink families of the running
                         kernel (names, ids, versions, multicast groups,
                         whether ynl has their spec built in), then the
                         built-in families the kernel lacks

Operations:
  --do OP                run a do operation
  --dump OP              run a dump operation (prints a list)
  --multi DO-OP JSON     run several do operations, each with its request
                         JSON (repeatable); all are checked and encoded
                         first, then sent in order over one socket and each
                         reply printed in order. Not an atomic batch: the
                         first error stops the rest, and those already
                         done stay done
  --list-ops             list the --do and --dump operations
  --list-msgs            list all messages, notifications included
  --list-attrs MSG, --doc MSG
                         list the attributes of a message, with types,
                         enums and docs
  --policy               with --do or --dump: print the running kernel's
                         policy of that op's mode (null when it has none)
                         instead of running it
  --check-kernel         compare the spec with the running kernel's ops and
                         policies and report the differences; exits 1 when
                         there are any, 0 when they match
  --validate             load and check the spec, then exit

Input / Output:
  --json JSON            request attributes as a JSON object
  --output-json          print compact JSON (a dump prints one JSON list)
  --no-validate          send the request even if it breaks the spec's
                         checks (min, max, lengths, flag masks), which are
                         otherwise enforced before sending, as the
                         generated Go clients do

Notifications:
  --subscribe GROUP      join a multicast group and print its notifications
                         as {"name": ..., "msg": ...}, pretty-printed, or one
                         per line with --output-json
  --duration SECONDS     stop after SECONDS (default: until interrupted)
  --sleep SECONDS        alias for --duration
  --listen-all-nsid      also receive the notifications of every network
                         namespace that has an id here (ip netns set NAME
                         ID); they print with "nsid": ID

Netlink message flags (NLM_F_*):
  --create --excl --replace --append

Decoding captures (ynl decode):
  FILE                   a capture: an nlmon pcap file (tcpdump -i nlmon0
                         -w), strace output (strace -X raw -e
                         trace=sendmsg,recvmsg -s 65535), or hex dumps as
                         xxd -p prints them, one datagram per block, a
                         line "send" or "recv" before a block giving its
                         direction; standard input when left out. Each
                         message prints as {"direction", "type", "flags",
                         "seq", "pid", "family", "cmd", "name", "msg"};
                         what cannot be decoded is reported on stderr
                         (exit 1)
  --id NAME=ID           the family id the capture's messages carry
                         (default: the running kernel's)

Other options:
  --dbg-small-recv [INT] read datagrams into a buffer of INT bytes (4000
                         when left out; the kernel sizes dump datagrams
                         after it) and print each datagram received on
                         standard error
  --process-unknown      keep unknown attributes as "UnknownAttr(N)": hex,
                         unnamed enum values as "Unknown(N)"
  --no-process-unknown   fail on unknown attributes (the default with --spec;
                         --family keeps them)
  --schema FILE, --no-schema
                         accepted for compatibility and ignored: specs are
                         always checked by the loader
  --version              print the version and exit
  -h, --help             show this help

Output: replies print as indented JSON with fields in spec order (short
lists on one line); --output-json prints compact JSON, one document per
line. Families come from the specs built into ynl, else from the folders
in YNL_SPEC_PATH (colon-separated, default /usr/share/ynl/specs).

Exit status: 0 success, 1 kernel or system error (or differences found by
--check-kernel, or a dump the kernel flagged as interrupted: printed in
full, with a warning), 2 usage or input error.
`
