package lab

import "fmt"

// Step names one stage of a run, as shown in errors.
type Step string

// The steps of a run, in order.
const (
	StepDownload    Step = "download"
	StepModuleBuild Step = "module build"
	StepInitramfs   Step = "initramfs"
	StepBoot        Step = "boot"
	StepModuleLoad  Step = "module load"
	StepTest        Step = "test"
)

// StepError is an error of the harness (not a failing test), with the step
// it happened in.
type StepError struct {
	Step Step
	Err  error
}

// Error returns "vmlab: <step>: <error>".
func (e *StepError) Error() string { return fmt.Sprintf("vmlab: %s: %v", e.Step, e.Err) }

// Unwrap returns the underlying error.
func (e *StepError) Unwrap() error { return e.Err }

func stepErr(s Step, err error) error {
	if err == nil {
		return nil
	}
	return &StepError{Step: s, Err: err}
}
