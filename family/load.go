package family

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Source is a spec or overlay held in memory: Name is used in error
// positions, Data is its YAML (or JSON) text.
type Source struct {
	Name string
	Data []byte
}

// MaxSpecSize is the largest spec or overlay the loader takes, in bytes.
// The kernel's largest spec (tc.yaml) is under 100 KiB; a larger input is
// refused up front rather than parsed at length.
const MaxSpecSize = 16 << 20

// readSpec reads a spec file, refusing one larger than MaxSpecSize without
// reading it all.
func readSpec(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSpecSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSpecSize {
		return nil, ErrorList{tooLarge(path)}
	}
	return data, nil
}

// tooLarge is the error for a spec over MaxSpecSize.
func tooLarge(name string) *Error {
	return &Error{Pos: Pos{File: name, Line: 1, Col: 1}, Msg: fmt.Sprintf("spec is larger than %d MiB, the most a spec may be (family.MaxSpecSize)", MaxSpecSize>>20)}
}

// Load reads the spec at path, merges the overlays (in order), resolves and
// validates. On failure the error is an ErrorList holding every problem
// found in all the files; a file that cannot be read is a plain error.
func Load(path string, overlays ...string) (*Family, error) {
	data, err := readSpec(path)
	if err != nil {
		return nil, err
	}
	srcs := make([]Source, 0, len(overlays))
	for _, o := range overlays {
		d, err := readSpec(o)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, Source{Name: o, Data: d})
	}
	return parse(path, filepath.Base(path), data, srcs)
}

// Parse is Load over bytes. name is the file name used in positions and,
// reduced to its base name, as Family.FileName.
func Parse(name string, data []byte, overlays ...Source) (*Family, error) {
	return parse(name, filepath.Base(name), data, overlays)
}

func parse(name, base string, data []byte, overlays []Source) (*Family, error) {
	var el errs
	root, err := parseDoc(name, data)
	if err != nil {
		return nil, asList(err)
	}
	for _, o := range overlays {
		on, err := parseDoc(o.Name, o.Data)
		if err != nil {
			el.list = append(el.list, asList(err)...)
			continue
		}
		mergeOverlay(&el, root, on)
	}
	if err := el.err(); err != nil {
		return nil, err
	}
	l := newLoader(base)
	f := l.load(root)
	if err := l.err(); err != nil {
		return nil, err
	}
	return f, nil
}

// asList wraps an *Error into an ErrorList.
func asList(err error) ErrorList {
	var e *Error
	if errors.As(err, &e) {
		return ErrorList{e}
	}
	return ErrorList{{Msg: err.Error()}}
}

// loader resolves and validates one merged spec tree.
type loader struct {
	errs
	proto Protocol
	mask  protoMask
	f     *Family

	defs     map[string]*Definition
	defNodes map[*Definition]*node
	defState map[*Definition]int // struct layout: 1 in progress, 2 done

	sets      map[string]*AttrSet
	setNodes  map[*AttrSet]*node
	setState  map[*AttrSet]int
	attrNodes map[*Attr]*node // merged (for subsets) attribute mappings
	attrPaths map[*Attr]string

	subs     map[string]*SubMessage
	subNodes []*node
	groups   map[string]*McastGroup
	opNodes  map[*Op]*node
	msgIDs   map[*Op][2]int // directional request and reply ids
}

func newLoader(base string) *loader {
	return &loader{
		f:         &Family{FileName: base, Operations: &Operations{}},
		defs:      map[string]*Definition{},
		defNodes:  map[*Definition]*node{},
		defState:  map[*Definition]int{},
		sets:      map[string]*AttrSet{},
		setNodes:  map[*AttrSet]*node{},
		setState:  map[*AttrSet]int{},
		attrNodes: map[*Attr]*node{},
		attrPaths: map[*Attr]string{},
		subs:      map[string]*SubMessage{},
		groups:    map[string]*McastGroup{},
		opNodes:   map[*Op]*node{},
		msgIDs:    map[*Op][2]int{},
	}
}

// load resolves the whole spec. Sections are resolved in dependency order:
// definitions, then attribute sets (which name definitions and
// sub-messages), then multicast groups, then operations.
func (l *loader) load(root *node) *Family {
	f := l.f
	f.Pos = root.pos
	l.header(root)
	l.checkObj(root, "", objFamily)
	l.definitions(root)
	l.subMessageNames(root)
	l.attrSets(root)
	l.subMessageFormats()
	l.mcastGroups(root)
	l.operations(root)
	l.soundness()
	if kf := root.get("kernel-family"); kf != nil && l.checkObj(kf, "kernel-family", objKernelFamily) {
		l.strList(kf, "headers", "kernel-family")
		l.str(kf, "sock-priv", "kernel-family")
	}
	return f
}

// header reads the family's scalar keys; the protocol first, since it
// decides which keys and values are allowed everywhere else.
func (l *loader) header(root *node) {
	f := l.f
	l.mask = pAll // any protocol may spell the protocol key
	p := l.enum(root, "protocol", "", "protocol")
	if p == "" {
		p = string(ProtocolGenetlink)
	}
	f.Protocol = Protocol(p)
	l.proto, l.mask = f.Protocol, maskOf(f.Protocol)
	f.Name = l.str(root, "name", "")
	if n := root.get("name"); n != nil && n.tag == "!!str" && l.mask&patFamilyName != 0 && !reName.MatchString(f.Name) {
		l.add(n, "", "name %q must match %s", f.Name, reName)
	}
	f.Doc = l.str(root, "doc", "")
	f.UAPIHeader = l.str(root, "uapi-header", "")
	f.CFamilyName = l.str(root, "c-family-name", "")
	f.CVersionName = l.str(root, "c-version-name", "")
	f.MaxByDefine = l.boolean(root, "max-by-define", "")
	f.CmdMaxName = l.str(root, "cmd-max-name", "")
	f.CmdCntName = l.str(root, "cmd-cnt-name", "")
	f.KernelPolicy = l.enum(root, "kernel-policy", "", "kernel-policy")
	f.Version = 1
	if v, ok := l.integer(root, "version", "", true); ok {
		if v < 1 || v > 255 {
			l.add(root.get("version"), "", "version %d is out of range 1..255", v)
		} else {
			f.Version = int(v)
		}
	}
	if v, ok := l.integer(root, "protonum", "", true); ok {
		if v > 255 {
			l.add(root.get("protonum"), "", "protonum %d is out of range 0..255", v)
		} else {
			f.ProtoNum = int(v)
		}
	}
}
