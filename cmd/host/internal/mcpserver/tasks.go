package mcpserver

// The Tasks extension (io.modelcontextprotocol/tasks, on 2026-07-28): a
// tools/call that runs longer than TaskAfter, from a client that declares
// the extension on the request, is answered with a task the client polls
// (tasks/get), answers (tasks/update) and cancels (tasks/cancel). A
// plugin's tool needs no change: a task is a job (job.go) that no request
// waits on.

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TasksExtension is the Tasks extension's identifier.
const TasksExtension = "io.modelcontextprotocol/tasks"

// Task statuses.
const (
	taskWorking       = "working"
	taskInputRequired = "input_required"
	taskCompleted     = "completed"
	taskFailed        = "failed"
	taskCancelled     = "cancelled"
)

// taskPollInterval is the polling interval host suggests.
const taskPollInterval = 500 * time.Millisecond

// taskState is a job's task: its status as clients see it. Guarded by the
// job's mu.
type taskState struct {
	created, updated time.Time
	status           string
	message          string
	cancelled        bool
}

func (t *taskState) touch() { t.updated = time.Now() }

// update records the job's end.
func (t *taskState) update(res *mcp.CallToolResult, err error) {
	t.touch()
	switch {
	case t.cancelled:
		t.status, t.message = taskCancelled, "cancelled by the client"
	case err != nil:
		t.status, t.message = taskFailed, err.Error()
	default:
		t.status, t.message = taskCompleted, ""
	}
}

// wantsTask reports whether a call may become a task: the client declared
// the extension on this request, and tasks are on. It looks in the
// request's _meta as the SDK decoded it (a 2026-07-28 request), not
// through ClientCapabilities, which decodes it again on each call.
func (s *Server) wantsTask(req *mcp.CallToolRequest) bool {
	if s.opts.TaskAfter < 0 {
		return false
	}
	if m, ok := req.Params.GetMeta()[mcp.MetaKeyClientCapabilities].(map[string]any); ok {
		ext, _ := m["extensions"].(map[string]any)
		_, ok := ext[TasksExtension]
		return ok
	}
	c := req.ClientCapabilities()
	if c == nil || c.Extensions == nil {
		return false
	}
	_, ok := c.Extensions[TasksExtension]
	return ok
}

// taskMarker marks a CallToolResult that the tools/call middleware turns
// into a CreateTaskResult (a tool handler can only return a
// CallToolResult).
const taskMarker = "host/task"

// taskAfter waits up to TaskAfter for j: its result or its questions (those
// are asked synchronously, before any task exists, as the extension says);
// past that the call becomes a task and the client gets its id.
func (s *Server) taskAfter(ctx context.Context, j *job) (*mcp.CallToolResult, error) {
	timer := time.NewTimer(s.opts.TaskAfter)
	defer timer.Stop()
	for {
		j.mu.Lock()
		if j.done {
			res, err := j.res, j.err
			j.mu.Unlock()
			s.dropJob(j)
			return res, err
		}
		if p := j.pending(); p != nil {
			j.mu.Unlock()
			return &mcp.CallToolResult{InputRequests: p, RequestState: j.id}, nil
		}
		ch := j.changed
		j.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			s.dropJob(j)
			return nil, ctx.Err()
		case <-timer.C:
			j.mu.Lock()
			now := time.Now()
			j.task = &taskState{created: now, updated: now, status: taskWorking}
			t := j.snapshot()
			j.mu.Unlock()
			return &mcp.CallToolResult{Meta: mcp.Meta{taskMarker: t}}, nil
		}
	}
}

// taskJSON is a task as the extension's wire shape has it (a DetailedTask).
type taskJSON struct {
	TaskID         string              `json:"taskId"`
	Status         string              `json:"status"`
	StatusMessage  string              `json:"statusMessage,omitempty"`
	CreatedAt      string              `json:"createdAt"`
	LastUpdatedAt  string              `json:"lastUpdatedAt"`
	TTLMs          int64               `json:"ttlMs"`
	PollIntervalMs int64               `json:"pollIntervalMs"`
	InputRequests  mcp.InputRequestMap `json:"inputRequests,omitempty"`
	Result         *mcp.CallToolResult `json:"result,omitempty"`
	Error          *jsonrpc.Error      `json:"error,omitempty"`
}

// snapshot is the task now; j.mu is held.
func (j *job) snapshot() *taskJSON {
	t := j.task
	status := t.status
	var asks mcp.InputRequestMap
	if status == taskWorking {
		if asks = j.pending(); asks != nil {
			status = taskInputRequired
		}
	}
	out := &taskJSON{
		TaskID: j.id, Status: status, StatusMessage: t.message,
		CreatedAt: t.created.UTC().Format(time.RFC3339Nano), LastUpdatedAt: t.updated.UTC().Format(time.RFC3339Nano),
		TTLMs: j.s.opts.JobIdleTimeout.Milliseconds(), PollIntervalMs: taskPollInterval.Milliseconds(),
		InputRequests: asks,
	}
	switch status {
	case taskCompleted:
		out.Result = j.res
	case taskFailed:
		je, ok := j.err.(*jsonrpc.Error)
		if !ok {
			je = &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: j.s.opts.Masker.Mask(j.err.Error())}
		}
		out.Error = je
	}
	return out
}

// createTaskResult is the answer to a tools/call that became a task.
type createTaskResult struct {
	mcp.ResultBase
	task *taskJSON
}

func (r *createTaskResult) MarshalJSON() ([]byte, error) {
	type wire struct {
		Meta       mcp.Meta `json:"_meta,omitempty"`
		ResultType string   `json:"resultType"`
		*taskJSON
	}
	return json.Marshal(wire{Meta: r.Meta, ResultType: "task", taskJSON: r.task})
}

// taskResult is a tasks/get answer.
type taskResult struct {
	mcp.ResultBase
	task *taskJSON
}

func (r *taskResult) MarshalJSON() ([]byte, error) {
	type wire struct {
		Meta       mcp.Meta `json:"_meta,omitempty"`
		ResultType string   `json:"resultType"`
		*taskJSON
	}
	return json.Marshal(wire{Meta: r.Meta, ResultType: "complete", taskJSON: r.task})
}

// ackResult is the empty answer of tasks/update and tasks/cancel.
type ackResult struct {
	mcp.ResultBase
	ResultType string `json:"resultType"`
}

type taskParams struct {
	mcp.ParamsBase
	TaskID         string               `json:"taskId"`
	InputResponses mcp.InputResponseMap `json:"inputResponses,omitempty"`
}

// taskMiddleware turns a marked tools/call result into a CreateTaskResult.
func taskMiddleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		res, err := next(ctx, method, req)
		if method != "tools/call" || err != nil {
			return res, err
		}
		if ctr, ok := res.(*mcp.CallToolResult); ok && ctr != nil {
			if t, ok := ctr.Meta[taskMarker].(*taskJSON); ok {
				delete(ctr.Meta, taskMarker)
				out := &createTaskResult{task: t}
				out.Meta = ctr.Meta
				return out, nil
			}
		}
		return res, err
	}
}

// registerTasks adds the extension's methods to s.
func (s *Server) registerTasks() {
	s.mcp.AddReceivingMiddleware(taskMiddleware)
	find := func(ss *mcp.ServerSession, p *taskParams) (*job, error) {
		j := s.job(p.TaskID)
		if j == nil || j.task == nil {
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("task %q not found (unknown, or expired and forgotten)", p.TaskID)}
		}
		return j, nil
	}
	_ = mcp.AddReceivingCustomMethod(s.mcp, "tasks/get", func(ctx context.Context, ss *mcp.ServerSession, p *taskParams) (*taskResult, error) {
		j, err := find(ss, p)
		if err != nil {
			return nil, err
		}
		j.mu.Lock()
		t := j.snapshot()
		done := j.task.status != taskWorking
		j.mu.Unlock()
		if !done {
			j.mu.Lock()
			j.startIdle()
			j.mu.Unlock()
		}
		return &taskResult{task: t}, nil
	})
	_ = mcp.AddReceivingCustomMethod(s.mcp, "tasks/update", func(ctx context.Context, ss *mcp.ServerSession, p *taskParams) (*ackResult, error) {
		j, err := find(ss, p)
		if err != nil {
			return nil, err
		}
		j.answer(p.InputResponses)
		return &ackResult{ResultType: "complete"}, nil
	})
	_ = mcp.AddReceivingCustomMethod(s.mcp, "tasks/cancel", func(ctx context.Context, ss *mcp.ServerSession, p *taskParams) (*ackResult, error) {
		j, err := find(ss, p)
		if err != nil {
			return nil, err
		}
		j.mu.Lock()
		if !j.done {
			j.task.cancelled = true
		}
		j.mu.Unlock()
		j.cancel()
		return &ackResult{ResultType: "complete"}, nil
	})
}
