package dynamic

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// kernelSpecs returns the paths of the kernel's specs on YNL_SPEC_PATH, or
// skips the test when there are none.
func kernelSpecs(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, dir := range family.SpecPath() {
		m, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		out = append(out, m...)
	}
	if len(out) == 0 {
		t.Skipf("no kernel specs found on YNL_SPEC_PATH (%q); set it to the kernel's Documentation/netlink/specs", os.Getenv("YNL_SPEC_PATH"))
	}
	return out
}

func loadKernel(t testing.TB, name string) *family.Family {
	t.Helper()
	kernelSpecs(t)
	f, err := family.LoadByName(name)
	if err != nil {
		t.Skipf("kernel spec %s not available: %v", name, err)
	}
	return f
}

func TestSubMessageRtLink(t *testing.T) {
	f := loadKernel(t, "rt-link")
	set := f.AttrSet("link-attrs")
	in := `{"ifname":"v0","linkinfo":{"kind":"vlan","data":{"id":5,"protocol":33024}}}`
	b, err := Encode(set, jsonObj(t, in))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Decode(set, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ifname":"v0","linkinfo":{"kind":"vlan","data":{"id":5,"protocol":"8021q"}}}`
	if got := mustJSON(t, m); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	_, err = Encode(set, jsonObj(t, `{"linkinfo":{"kind":"nosuch","data":{"id":5}}}`))
	if err == nil || err.Error() != `encode .linkinfo.data: sub-message linkinfo-data-msg has no format for kind "nosuch"` {
		t.Errorf("err = %v", err)
	}
	_, err = Encode(set, jsonObj(t, `{"linkinfo":{"kind":"vlan","data":{"idd":5}}}`))
	if err == nil || err.Error() != `encode .linkinfo.data.idd: unknown attribute (attribute set "linkinfo-vlan-attrs")` {
		t.Errorf("err = %v", err)
	}
}

// TestKernelSpecsEmpty decodes an encoded empty request of every op of
// every kernel spec, and checks each attribute set has a namer.
func TestKernelSpecsEmpty(t *testing.T) {
	for _, path := range kernelSpecs(t) {
		f, err := family.Load(path)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
			continue
		}
		for _, op := range f.Operations.List {
			if op.AttrSet == nil {
				continue
			}
			hdr, attrs, err := EncodeMessage(op.FixedHeader, op.AttrSet, map[string]any{})
			if err != nil {
				t.Errorf("%s %s: %v", f.Name, op.Name, err)
				continue
			}
			body := append(append([]byte{}, hdr...), make([]byte, align4(len(hdr))-len(hdr))...)
			if _, err := DecodeMessage(op.FixedHeader, op.AttrSet, append(body, attrs...), Options{}); err != nil {
				t.Errorf("%s %s: %v", f.Name, op.Name, err)
			}
		}
	}
}
