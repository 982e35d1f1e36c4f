// pulumi-language-nodejs (lite): a minimal Node.js language host for the Pulumi engine.
//
// Written locally because the upstream module
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 is not served by the Go
// module proxy reachable from this machine. It implements the parts of the LanguageRuntime gRPC
// service that `pulumi preview/up/destroy/refresh/about/install` need for plain npm-based
// projects: it runs the program through @pulumi/pulumi/cmd/run (resolved from the program
// directory), reports resource plugins declared by packages under node_modules, installs
// dependencies with npm/yarn/pnpm, and runs Node.js plugins and policy packs
// (@pulumi/pulumi/cmd/run-plugin, run-policy-pack). Codegen RPCs (GenerateProject, Pack, Link,
// ...) are not implemented.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Exit code used by @pulumi/pulumi/cmd/run when it already reported the error to the user.
const nodeJSProcessExitedAfterLoggingUserActionableMessage = 32

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	tracing := flag.String("tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	// Accepted for compatibility with the upstream host's command line; values from Pulumi.yaml
	// runtime options (ProgramInfo.Options) take precedence.
	_ = flag.String("root", "", "project root (ignored)")
	flagTypeScript := flag.Bool("typescript", true, "use ts-node to run TypeScript programs")
	flagTsconfig := flag.String("tsconfig", "", "path to tsconfig.json")
	flagNodeargs := flag.String("nodeargs", "", "extra arguments for node")
	_ = flag.String("packagemanager", "", "package manager (npm, yarn, pnpm)")
	flag.Parse()

	if *showVersion {
		fmt.Println(version.Version)
		return
	}

	logging.InitLogging(false, 0, false)
	cmdutil.InitTracing("pulumi-language-nodejs", "pulumi-language-nodejs", *tracing)

	engineAddress := ""
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}

	host := &nodeLanguageHost{
		engineAddress: engineAddress,
		tracing:       *tracing,
		defaults: runtimeOptions{
			typescript: *flagTypeScript,
			tsconfig:   *flagTsconfig,
			nodeargs:   *flagNodeargs,
		},
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}

	// Tell the engine which port we listen on.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type runtimeOptions struct {
	typescript     bool
	tsconfig       string
	nodeargs       string
	packagemanager string
}

type nodeLanguageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	tracing       string
	defaults      runtimeOptions
}

func (h *nodeLanguageHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *nodeLanguageHost) options(info *pulumirpc.ProgramInfo) runtimeOptions {
	opts := h.defaults
	if info == nil || info.GetOptions() == nil {
		return opts
	}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		opts.nodeargs = v
	}
	if v, ok := m["packagemanager"].(string); ok {
		opts.packagemanager = v
	}
	return opts
}

func programDirectory(info *pulumirpc.ProgramInfo, fallback string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	if fallback != "" {
		return fallback
	}
	wd, _ := os.Getwd()
	return wd
}

func (h *nodeLanguageHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.mu.Lock()
		h.engineAddress = req.GetEngineAddress()
		h.mu.Unlock()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeLanguageHost) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// locateModule resolves a module path with Node's own resolution, starting in dir.
func locateModule(ctx context.Context, nodeBin, dir, mod string) (string, error) {
	script := fmt.Sprintf(`try { console.log(require.resolve(%q)) } catch (e) { console.error(e.message); process.exit(1) }`, mod)
	cmd := exec.CommandContext(ctx, nodeBin, "-e", script)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not resolve %s from %s (has `npm install` been run?): %v: %s",
			mod, dir, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *nodeLanguageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	info := req.GetInfo()
	progDir := programDirectory(info, req.GetPwd())
	opts := h.options(info)

	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath, err = locateModule(ctx, nodeBin, progDir, "@pulumi/pulumi/cmd/run")
		if err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
	}

	var args []string
	if opts.nodeargs != "" {
		args = append(args, strings.Fields(opts.nodeargs)...)
	}
	args = append(args, runPath)
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engine())
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	if info != nil {
		add("root-directory", info.GetRootDirectory())
	}
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() != 0 {
		add("parallel", fmt.Sprint(req.GetParallel()))
	}
	add("tracing", h.tracing)
	entry := "."
	if info != nil && info.GetEntryPoint() != "" {
		entry = info.GetEntryPoint()
	} else if req.GetProgram() != "" { //nolint:staticcheck
		entry = req.GetProgram() //nolint:staticcheck
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cfg := req.GetConfig()
	if cfg == nil {
		cfg = map[string]string{}
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration secret keys: %w", err)
	}

	env := os.Environ()
	env = append(env, "PULUMI_CONFIG="+string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	env = append(env, fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%v", opts.typescript))
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	logging.V(5).Infof("Language host launching process: %s %s", nodeBin, strings.Join(args, " "))

	cmd := exec.Command(nodeBin, args...)
	cmd.Dir = progDir
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = env
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code := exitErr.ExitCode()
			if code == nodeJSProcessExitedAfterLoggingUserActionableMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// packageJSON holds the package.json fields this host reads.
type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          *struct {
		Resource         bool   `json:"resource"`
		Name             string `json:"name"`
		Version          string `json:"version"`
		Server           string `json:"server"`
		Parameterization *struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Value   string `json:"value"`
		} `json:"parameterization"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	return &p, nil
}

func pluginName(p *packageJSON) string {
	if p.Pulumi != nil && p.Pulumi.Name != "" {
		return p.Pulumi.Name
	}
	n := p.Name
	if strings.HasPrefix(n, "@pulumi/") {
		return strings.TrimPrefix(n, "@pulumi/")
	}
	return strings.TrimPrefix(n, "@")
}

func withV(v string) string {
	if v == "" || strings.HasPrefix(v, "v") {
		return v
	}
	return "v" + v
}

// findPulumiPackages walks node_modules (nested, scoped, following symlinks once) and returns
// the packages whose package.json declares "pulumi": {"resource": true}.
func findPulumiPackages(programDir string) ([]*pulumirpc.PackageDependency, error) {
	seenDirs := map[string]bool{}
	seenPkgs := map[string]bool{}
	var result []*pulumirpc.PackageDependency

	var walkNodeModules func(nm string) error
	visitPackage := func(dir string) error {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil || seenDirs[real] {
			return nil
		}
		seenDirs[real] = true
		p, err := readPackageJSON(filepath.Join(dir, "package.json"))
		if err == nil && p.Pulumi != nil && p.Pulumi.Resource {
			dep := &pulumirpc.PackageDependency{
				Name:    pluginName(p),
				Kind:    "resource",
				Version: withV(p.Version),
				Server:  p.Pulumi.Server,
			}
			if p.Pulumi.Version != "" {
				dep.Version = withV(p.Pulumi.Version)
			}
			if pz := p.Pulumi.Parameterization; pz != nil {
				val, derr := base64.StdEncoding.DecodeString(pz.Value)
				if derr != nil {
					return fmt.Errorf("decoding parameterization value in %s: %w", dir, derr)
				}
				dep.Parameterization = &pulumirpc.PackageParameterization{
					Name: pz.Name, Version: withV(pz.Version), Value: val,
				}
			}
			key := dep.Name + "@" + dep.Version
			if dep.Parameterization != nil {
				key += "/" + dep.Parameterization.Name + "@" + dep.Parameterization.Version
			}
			if !seenPkgs[key] {
				seenPkgs[key] = true
				result = append(result, dep)
			}
		}
		if st, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil && st.IsDir() {
			return walkNodeModules(filepath.Join(dir, "node_modules"))
		}
		return nil
	}
	walkNodeModules = func(nm string) error {
		entries, err := os.ReadDir(nm)
		if err != nil {
			return nil
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			full := filepath.Join(nm, name)
			st, err := os.Stat(full)
			if err != nil || !st.IsDir() {
				continue
			}
			if strings.HasPrefix(name, "@") {
				scoped, err := os.ReadDir(full)
				if err != nil {
					continue
				}
				for _, s := range scoped {
					if err := visitPackage(filepath.Join(full, s.Name())); err != nil {
						return err
					}
				}
				continue
			}
			if err := visitPackage(full); err != nil {
				return err
			}
		}
		return nil
	}

	// Search the program directory and its parents (workspaces hoist packages upwards).
	dir := programDir
	for {
		nm := filepath.Join(dir, "node_modules")
		if st, err := os.Stat(nm); err == nil && st.IsDir() {
			if err := walkNodeModules(nm); err != nil {
				return nil, err
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	sort.Slice(result, func(i, j int) bool { return result[i].Name < result[j].Name })
	return result, nil
}

func (h *nodeLanguageHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	pkgs, err := findPulumiPackages(programDirectory(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

func (h *nodeLanguageHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	pkgs, err := findPulumiPackages(programDirectory(req.GetInfo(), req.GetProgram())) //nolint:staticcheck
	if err != nil {
		return nil, err
	}
	var plugins []*pulumirpc.PluginDependency
	for _, p := range pkgs {
		if p.Parameterization != nil {
			continue
		}
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// streamWriter forwards process output into the InstallDependencies / RunPlugin gRPC streams.
type streamWriter struct {
	mu   *sync.Mutex
	send func([]byte) error
}

func (w streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := append([]byte(nil), p...)
	if err := w.send(b); err != nil {
		return 0, err
	}
	return len(p), nil
}

func packageManagerCommand(dir, pm string) (string, []string) {
	if pm == "" || pm == "auto" {
		switch {
		case fileExists(filepath.Join(dir, "pnpm-lock.yaml")):
			pm = "pnpm"
		case fileExists(filepath.Join(dir, "yarn.lock")):
			pm = "yarn"
		case fileExists(filepath.Join(dir, "bun.lock")), fileExists(filepath.Join(dir, "bun.lockb")):
			pm = "bun"
		default:
			pm = "npm"
		}
	}
	switch pm {
	case "yarn":
		return "yarn", []string{"install"}
	case "pnpm":
		return "pnpm", []string{"install"}
	case "bun":
		return "bun", []string{"install"}
	default:
		return "npm", []string{"install", "--loglevel=error"}
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func (h *nodeLanguageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	dir := programDirectory(req.GetInfo(), req.GetDirectory()) //nolint:staticcheck
	opts := h.options(req.GetInfo())
	bin, args := packageManagerCommand(dir, opts.packagemanager)
	var mu sync.Mutex
	stdout := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	stderr := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	fmt.Fprintf(stdout, "Installing dependencies with %s %s in %s...\n", bin, strings.Join(args, " "), dir)
	cmd := exec.CommandContext(server.Context(), bin, args...)
	cmd.Dir = dir
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s install failed: %w", bin, err)
	}
	fmt.Fprintln(stdout, "Finished installing dependencies")
	return nil
}

func (h *nodeLanguageHost) RuntimeOptionsPrompts(
	ctx context.Context, req *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *nodeLanguageHost) Template(
	ctx context.Context, req *pulumirpc.TemplateRequest,
) (*pulumirpc.TemplateResponse, error) {
	return &pulumirpc.TemplateResponse{}, nil
}

func (h *nodeLanguageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, nodeBin, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("failed to get node version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: nodeBin,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
		Metadata:   map[string]string{"languageHost": "pulumi-language-nodejs (lite) " + version.Version},
	}, nil
}

func (h *nodeLanguageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDirectory(req.GetInfo(), req.GetPwd()) //nolint:staticcheck
	p, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for n, v := range p.Dependencies {
		names[n] = v
	}
	for n, v := range p.DevDependencies {
		names[n] = v
	}
	var deps []*pulumirpc.DependencyInfo
	for n, want := range names {
		v := want
		if installed, err := readPackageJSON(filepath.Join(dir, "node_modules", n, "package.json")); err == nil {
			v = installed.Version
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: v})
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Name < deps[j].Name })
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// RunPlugin runs a Node.js plugin: a resource/tool plugin through @pulumi/pulumi/cmd/run-plugin, or a policy pack
// (kind "analyzer") through @pulumi/pulumi/cmd/run-policy-pack. For a policy pack the engine passes the pack's
// directory as the program directory and its own address (after any logging/tracing flags) as the arguments.
func (h *nodeLanguageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	ctx := server.Context()
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	info := req.GetInfo()
	progDir := programDirectory(info, req.GetPwd())
	opts := h.options(info)
	isPolicyPack := req.GetKind() == "analyzer"

	script := "@pulumi/pulumi/cmd/run-policy-pack"
	if !isPolicyPack {
		script = os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
		if script == "" {
			script = "@pulumi/pulumi/cmd/run-plugin"
		}
	}
	// Resolved from the plugin's own directory: a policy pack uses the SDK it (or a parent) installed.
	runPath, err := locateModule(ctx, nodeBin, progDir, script)
	if err != nil {
		return err
	}

	var args []string
	if opts.nodeargs != "" {
		args = append(args, strings.Fields(opts.nodeargs)...)
	}
	args = append(args, runPath)
	if isPolicyPack {
		// run-policy-pack parses its command line with minimist and wants the positional arguments
		// <engine-address> <program>: the engine's arguments (flags first, its address last) and then
		// the pack directory. Putting the directory anywhere else lets a flag such as --logtostderr
		// swallow it as its value.
		args = append(args, req.GetArgs()...)
		args = append(args, progDir)
	} else {
		args = append(args, progDir)
		args = append(args, req.GetArgs()...)
	}

	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	env = append(env, fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%v", opts.typescript))
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	var mu sync.Mutex
	var stdout io.Writer = streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	stderr := streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}

	// A policy pack written with @pulumi/policy learns its stack, project and config from environment
	// variables, but the engine only sends them in its ConfigureStack call, after the plugin has started.
	// So, like the upstream host, answer the engine first with the SDK's PolicyProxy (it prints its own
	// port), wait for ConfigureStack, start node with that environment, and let the proxy forward every
	// later call to the pack's own server.
	var proxy *sdk.PolicyProxy
	if isPolicyPack {
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start the policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
		}
		env = append(env, policyPackEnv(stack)...)
	}

	cmd := exec.CommandContext(ctx, nodeBin, args...)
	// Policy packs run in their own directory (PolicyPack reads the version from ./package.json there);
	// other plugins in the engine's working directory.
	cmd.Dir = req.GetPwd()
	if isPolicyPack || cmd.Dir == "" {
		cmd.Dir = progDir
	}
	cmd.Env = env
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	logging.V(5).Infof("Language host launching plugin: %s %s (in %s)", nodeBin, strings.Join(args, " "), cmd.Dir)

	var runErr error
	if proxy != nil {
		if runErr = cmd.Start(); runErr != nil {
			proxy.Abort(runErr)
			return fmt.Errorf("could not start the policy pack: %w", runErr)
		}
		// Attach waits for the pack to exit.
		runErr = proxy.Attach(ctx, cmd)
	} else {
		runErr = cmd.Run()
	}
	code := 0
	if runErr != nil {
		var exitErr *exec.ExitError
		if !errors.As(runErr, &exitErr) {
			return runErr
		}
		code = exitErr.ExitCode()
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

// policyPackEnv is what @pulumi/pulumi's runtime reads to answer getOrganization(), getProject(), getStack(),
// isDryRun() and new Config() inside a policy pack.
func policyPackEnv(stack *pulumirpc.AnalyzerStackConfigureRequest) []string {
	if stack == nil {
		// The engine asked something else first (e.g. `pulumi policy publish`): there is no stack.
		return nil
	}
	var env []string
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", stack.GetProject())
	add("PULUMI_NODEJS_STACK", stack.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", fmt.Sprint(stack.GetDryRun()))
	if cfg := stack.GetConfig(); cfg != nil {
		if b, err := json.Marshal(cfg); err == nil {
			add("PULUMI_CONFIG", string(b))
		}
	}
	if keys := stack.GetConfigSecretKeys(); len(keys) > 0 {
		if b, err := json.Marshal(keys); err == nil {
			add("PULUMI_CONFIG_SECRET_KEYS", string(b))
		}
	}
	return env
}
