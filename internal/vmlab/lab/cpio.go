package lab

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
)

// CPIOWriter writes a cpio archive in the "newc" format the kernel unpacks
// as an initramfs. Entries are written in the order given; parents must come
// before their children.
type CPIOWriter struct {
	w     *bufio.Writer
	ino   uint32
	n     int64
	names map[string]bool
	err   error
}

// NewCPIOWriter returns a CPIOWriter writing to w.
func NewCPIOWriter(w io.Writer) *CPIOWriter {
	return &CPIOWriter{w: bufio.NewWriter(w), ino: 1, names: map[string]bool{}}
}

// Dir adds a directory.
func (c *CPIOWriter) Dir(name string, perm fs.FileMode) error {
	return c.entry(name, 0o040000|uint32(perm.Perm()), nil)
}

// File adds a regular file with the given contents.
func (c *CPIOWriter) File(name string, perm fs.FileMode, data []byte) error {
	return c.entry(name, 0o100000|uint32(perm.Perm()), data)
}

// Symlink adds a symbolic link name pointing at target.
func (c *CPIOWriter) Symlink(name, target string) error {
	return c.entry(name, 0o120777, []byte(target))
}

// Close writes the trailer and flushes; it does not close the underlying
// writer.
func (c *CPIOWriter) Close() error {
	if c.err != nil {
		return c.err
	}
	c.header("TRAILER!!!", 0, 0, 1)
	c.pad()
	if c.err == nil {
		c.err = c.w.Flush()
	}
	return c.err
}

func (c *CPIOWriter) entry(name string, mode uint32, data []byte) error {
	if c.err != nil {
		return c.err
	}
	clean, err := cpioName(name)
	if err != nil {
		return err
	}
	if c.names[clean] {
		return fmt.Errorf("cpio: duplicate entry %q", clean)
	}
	c.names[clean] = true
	nlink := uint32(1)
	if mode&0o170000 == 0o040000 {
		nlink = 2
	}
	c.header(clean, mode, uint32(len(data)), nlink)
	c.write(data)
	c.pad()
	return c.err
}

// cpioName checks and normalises an archive path: relative, no "..", no
// trailing slash (the kernel's unpacker creates exactly what it is told).
func cpioName(name string) (string, error) {
	clean := path.Clean(strings.TrimPrefix(name, "/"))
	if clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || name == "" {
		return "", fmt.Errorf("cpio: bad entry name %q", name)
	}
	return clean, nil
}

func (c *CPIOWriter) header(name string, mode, size, nlink uint32) {
	ino := c.ino
	c.ino++
	if name == "TRAILER!!!" {
		ino = 0
	}
	// magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
	// devminor, rdevmajor, rdevminor, namesize (with NUL), check.
	hdr := fmt.Sprintf("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(name)+1, 0)
	c.write([]byte(hdr))
	c.write([]byte(name))
	c.write([]byte{0})
	c.pad()
}

func (c *CPIOWriter) write(b []byte) {
	if c.err != nil {
		return
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.err = err
}

// pad aligns the stream to 4 bytes, as newc requires after each header+name
// and after each file body.
func (c *CPIOWriter) pad() {
	if r := c.n % 4; r != 0 {
		c.write(make([]byte, 4-r))
	}
}
