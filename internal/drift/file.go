package drift

import (
	"fmt"
	"strconv"
	"strings"
)

// Family is one family's drift on one kernel: Diff's lines, or Missing
// when the kernel does not register the family.
type Family struct {
	Name    string
	Missing bool
	Lines   []string
}

// The markers frame a new expectation file in a lab log, for the update
// command: "BeginMarker testdata/7.2.txt", the file, EndMarker.
const (
	BeginMarker = "=== drift file"
	EndMarker   = "=== end of drift file"
)

// Format renders the expectation file of one kernel series: a comment,
// then per family a line "family NAME: N differences" (or "not
// registered") followed by its differences indented by two spaces.
func Format(series string, fams []Family) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Spec-vs-kernel drift on Debian's %s kernel, as ynl --check-kernel reports it\n", series)
	fmt.Fprintf(&b, "# (\"-\" spec only, \"+\" kernel only, \"~\" differ). Written from the VM lab's\n")
	fmt.Fprintf(&b, "# TestLiveDrift output by go run ./internal/drift/update LOG.\n")
	for _, f := range fams {
		switch {
		case f.Missing:
			fmt.Fprintf(&b, "family %s: not registered\n", f.Name)
		case len(f.Lines) == 1:
			fmt.Fprintf(&b, "family %s: 1 difference\n", f.Name)
		default:
			fmt.Fprintf(&b, "family %s: %d differences\n", f.Name, len(f.Lines))
		}
		for _, l := range f.Lines {
			b.WriteString("  " + l + "\n")
		}
	}
	return b.String()
}

// Parse reads an expectation file back. It checks each family's count
// against its lines.
func Parse(text string) ([]Family, error) {
	var out []Family
	var want []int
	for i, l := range strings.Split(text, "\n") {
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "  "):
			if len(out) == 0 {
				return nil, fmt.Errorf("line %d: a difference before the first family line", i+1)
			}
			out[len(out)-1].Lines = append(out[len(out)-1].Lines, l[2:])
		case strings.HasPrefix(l, "family "):
			name, rest, ok := strings.Cut(strings.TrimPrefix(l, "family "), ": ")
			if !ok {
				return nil, fmt.Errorf("line %d: want \"family NAME: ...\", have %q", i+1, l)
			}
			f := Family{Name: name}
			n := 0
			if rest == "not registered" {
				f.Missing = true
			} else {
				num, _, _ := strings.Cut(rest, " ")
				v, err := strconv.Atoi(num)
				if err != nil || (rest != num+" differences" && rest != num+" difference") {
					return nil, fmt.Errorf("line %d: want \"N differences\" or \"not registered\", have %q", i+1, rest)
				}
				n = v
			}
			out = append(out, f)
			want = append(want, n)
		default:
			return nil, fmt.Errorf("line %d: unexpected %q", i+1, l)
		}
	}
	for i, f := range out {
		if len(f.Lines) != want[i] {
			return nil, fmt.Errorf("family %s: says %d differences, lists %d", f.Name, want[i], len(f.Lines))
		}
	}
	return out, nil
}

// Series is the kernel series of a Debian release string: "6.1" for
// "6.1.0-50-amd64", "7.2" for "7.2.13+deb14-amd64".
func Series(release string) string {
	parts := strings.SplitN(release, ".", 3)
	if len(parts) < 2 {
		return release
	}
	minor := parts[1]
	if i := strings.IndexFunc(minor, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minor = minor[:i]
	}
	return parts[0] + "." + minor
}

// Summary counts the families: registered, and their differences.
func Summary(fams []Family) string {
	reg, n := 0, 0
	for _, f := range fams {
		if !f.Missing {
			reg++
			n += len(f.Lines)
		}
	}
	return fmt.Sprintf("%d of %d families registered, %d differences", reg, len(fams), n)
}

// LineDiff shows the lines of want missing from got ("- ") and those of
// got missing from want ("+ "), in order, from a longest common
// subsequence: the files are a few hundred lines.
func LineDiff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			out.WriteString("+ " + b[j] + "\n")
			j++
		default:
			out.WriteString("- " + a[i] + "\n")
			i++
		}
	}
	return out.String()
}
