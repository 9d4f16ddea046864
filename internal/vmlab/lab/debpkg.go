package lab

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
)

// debEntry is one file of a Debian package's data archive.
type debEntry struct {
	Name string // path inside the package, without the leading "./"
	Size int64
	r    io.Reader
}

// walkDeb streams the files of a .deb's data archive through fn, using
// dpkg-deb so every compression Debian uses is handled. fn may read the
// entry's contents with read; returning errStopWalk ends the walk early.
func walkDeb(ctx context.Context, deb string, fn func(e *debEntry) error) error {
	cmd := exec.CommandContext(ctx, "dpkg-deb", "--fsys-tarfile", deb)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("dpkg-deb: %w (is dpkg installed?)", err)
	}
	walkErr := walkTar(out, fn)
	if walkErr != nil {
		_ = cmd.Process.Kill()
	}
	_, _ = io.Copy(io.Discard, out)
	waitErr := cmd.Wait()
	switch {
	case walkErr != nil:
		return walkErr
	case walkErr == nil && waitErr != nil:
		return fmt.Errorf("dpkg-deb --fsys-tarfile %s: %w: %s", deb, waitErr, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// errStopWalk ends walkDeb without an error.
var errStopWalk = errors.New("stop walk")

func walkTar(r io.Reader, fn func(e *debEntry) error) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading package archive: %w", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		e := &debEntry{Name: strings.TrimPrefix(hdr.Name, "./"), Size: hdr.Size, r: tr}
		if err := fn(e); err != nil {
			return err
		}
	}
}

// moduleFileRE matches kernel modules and depmod inputs in a kernel
// package, under /lib/modules or (merged /usr) /usr/lib/modules.
var moduleFileRE = regexp.MustCompile(`^(?:usr/)?lib/modules/([^/]+)/(.+)$`)

// vmlinuzRE matches the kernel image: /boot/vmlinuz-RELEASE, or in a
// split 7.x package (linux-binary) /usr/lib/modules/RELEASE/vmlinuz.
var vmlinuzRE = regexp.MustCompile(`^(?:boot/vmlinuz-(.+)|(?:usr/)?lib/modules/([^/]+)/vmlinuz)$`)

// vmlinuzRelease returns the kernel release of a kernel image's path in a
// package, or "" if the path is not one.
func vmlinuzRelease(name string) string {
	m := vmlinuzRE.FindStringSubmatch(name)
	if m == nil {
		return ""
	}
	return m[1] + m[2]
}

// isModuleFile reports whether rel (relative to /lib/modules/VERSION) is a
// loadable module, possibly compressed.
func isModuleFile(rel string) bool {
	for _, ext := range []string{".ko", ".ko.xz", ".ko.zst", ".ko.gz"} {
		if strings.HasSuffix(rel, ext) {
			return true
		}
	}
	return false
}

// uncompressedName drops a module's compression suffix: busybox insmod
// loads only plain .ko files, so modules are decompressed on the host.
func uncompressedName(rel string) string {
	for _, ext := range []string{".xz", ".zst", ".gz"} {
		if strings.HasSuffix(rel, ".ko"+ext) {
			return strings.TrimSuffix(rel, ext)
		}
	}
	return rel
}

// readModule returns a module file's contents, decompressed.
func readModule(ctx context.Context, rel string, r io.Reader) ([]byte, error) {
	switch {
	case strings.HasSuffix(rel, ".gz"):
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		return io.ReadAll(zr)
	case strings.HasSuffix(rel, ".xz"):
		return strict(filter(ctx, r, "xz", "-dc"))
	case strings.HasSuffix(rel, ".zst"):
		return strict(filter(ctx, r, "zstd", "-dc"))
	}
	return io.ReadAll(r)
}

// strict drops a partial output that came with an error.
func strict(b []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return b, nil
}

// filter pipes r through an external decompressor; the standard library
// has no xz or zstd. The output is returned even with an error: zstd -dc
// on a kernel's payload writes the whole image, then exits 1 on the
// bzImage's size trailer, and the caller judges what it got.
func filter(ctx context.Context, r io.Reader, name string, args ...string) ([]byte, error) {
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = r, &out, &stderr
	if err := cmd.Run(); err != nil {
		return out.Bytes(), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out.Bytes(), nil
}
