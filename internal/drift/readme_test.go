package drift

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// kernels are the expectation files, in README's column order.
var kernels = []string{"7.2", "6.12", "6.1"}

// TestREADMEDriftColumn checks the resolves and drift columns of
// README.md's family × kernel table against testdata: each row's families
// (README writes underscores where specs write dashes) resolve ("yes") on
// a kernel when its drift file lists them as registered; the drift is
// "N / N / N" for one family, "name N / N / N, ..." for several, "-"
// where the kernel lacks it.
func TestREADMEDriftColumn(t *testing.T) {
	counts := map[string]map[string]string{}
	for _, k := range kernels {
		b, err := os.ReadFile("testdata/" + k + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		fams, err := Parse(string(b))
		if err != nil {
			t.Fatalf("testdata/%s.txt: %v", k, err)
		}
		for _, f := range fams {
			n := norm(f.Name)
			if counts[n] == nil {
				counts[n] = map[string]string{}
			}
			counts[n][k] = "-"
			if !f.Missing {
				counts[n][k] = fmt.Sprint(len(f.Lines))
			}
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	in := false
	for i, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "| family | resolves (7.2 / 6.12 / 6.1) | drift (7.2 / 6.12 / 6.1) |") {
			in = true
			continue
		}
		if !in || strings.HasPrefix(l, "|---") {
			continue
		}
		if !strings.HasPrefix(l, "| ") {
			break
		}
		cells := strings.Split(l, " | ")
		if len(cells) != 4 {
			t.Errorf("README.md:%d: %d cells, want 4: %s", i+1, len(cells), l)
			continue
		}
		var want []string
		names := strings.Split(strings.TrimPrefix(cells[0], "| "), ", ")
		// "resolves" must agree with the drift files: registered or not.
		var resolves []string
		for _, k := range kernels {
			all, none := true, true
			for _, n := range names {
				missing := counts[norm(n)][k] == "-"
				all, none = all && !missing, none && missing
			}
			switch {
			case all:
				resolves = append(resolves, "yes")
			case none:
				resolves = append(resolves, "no")
			default:
				resolves = append(resolves, "mixed")
			}
		}
		if got, w := cells[1], strings.Join(resolves, " / "); got != w {
			t.Errorf("README.md:%d: %s resolves %q, the drift files say %q", i+1, cells[0][2:], got, w)
		}
		for _, n := range names {
			c, ok := counts[norm(n)]
			if !ok {
				t.Errorf("README.md:%d: family %s is in no drift file", i+1, n)
				continue
			}
			var per []string
			for _, k := range kernels {
				per = append(per, c[k])
			}
			w := strings.Join(per, " / ")
			if len(names) > 1 {
				w = n + " " + w
			}
			want = append(want, w)
		}
		if got, w := cells[2], strings.Join(want, ", "); got != w {
			t.Errorf("README.md:%d: drift of %s is %q, testdata says %q", i+1, cells[0][2:], got, w)
		}
		rows++
	}
	if rows == 0 {
		t.Fatal("README.md has no family × kernel table with a drift column")
	}
}

func norm(name string) string { return strings.ReplaceAll(name, "_", "-") }
