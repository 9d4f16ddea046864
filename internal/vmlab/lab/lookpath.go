package lab

import (
	"os/exec"
	"strings"
)

// lookPath finds a program; names with a slash are taken as paths.
func lookPath(name string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	return exec.LookPath(name)
}
