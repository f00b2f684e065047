package expression

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
)

// MaxNodes bounds the size of one expression; MemoryBudget bounds what one
// evaluation may allocate (expr-lang's own counters).
const (
	MaxNodes     = 2000
	MemoryBudget = 1_000_000
)

// Env is the set of names an expression may use, each with a sample value of
// its type for the checker. Noun says what the names are in messages
// ("column", "name").
//
// A row Env (NewEnv) is evaluated over a map[string]any, so any name may
// hold null. A struct Env (NewStructEnv) is evaluated over a struct made by
// Struct; its names of unknown type stay unknown to the checker instead of
// being refused, which values and claims need.
type Env struct {
	Noun   string
	sample map[string]any
	types  map[string]reflect.Type
	names  []string
	strct  reflect.Type // set by Struct, for struct Envs
	asStr  bool
	near   []string // the names a misspelt one is compared with; names when nil
}

// NewEnv returns an empty Env whose names are called noun in messages.
func NewEnv(noun string) *Env {
	return &Env{Noun: noun, sample: map[string]any{}, types: map[string]reflect.Type{}}
}

// NewStructEnv returns an empty struct Env.
func NewStructEnv(noun string) *Env {
	e := NewEnv(noun)
	e.asStr = true
	return e
}

var anyType = reflect.TypeOf((*any)(nil)).Elem()

// Add declares name with the type of sample; in a struct Env a nil sample
// declares a name of unknown type.
func (e *Env) Add(name string, sample any) {
	if _, ok := e.sample[name]; !ok {
		e.names = append(e.names, name)
	}
	e.sample[name] = sample
	t := anyType
	if sample != nil {
		t = reflect.TypeOf(sample)
	}
	e.types[name] = t
	e.strct = nil
}

// Struct returns the struct type a struct Env is evaluated over: one field
// per name, in order, named for expr-lang by its tag.
func (e *Env) Struct() reflect.Type {
	if e.strct == nil {
		fields := make([]reflect.StructField, len(e.names))
		for i, n := range e.names {
			fields[i] = reflect.StructField{Name: "F" + strconv.Itoa(i), Type: e.types[n], Tag: reflect.StructTag(`expr:"` + n + `"`)}
		}
		e.strct = reflect.StructOf(fields)
	}
	return e.strct
}

func (e *Env) checkEnv() any {
	if e.asStr {
		return reflect.New(e.Struct()).Elem().Interface()
	}
	return e.sample
}

// AddColumn declares a column of type t.
func (e *Env) AddColumn(name string, t analysis.ColumnType) { e.Add(name, Sample(t)) }

// Names lists the declared names in order of declaration.
func (e *Env) Names() []string { return e.names }

// SuggestFrom sets the names an unknown name is compared with for a "did
// you mean", when the Env declares only some of the names in scope (those
// an expression reads, so that checking it costs nothing for the others).
func (e *Env) SuggestFrom(names []string) { e.near = names }

// Sample returns a value of the Go type that stands for t.
func Sample(t analysis.ColumnType) any {
	switch t {
	case analysis.TypeString:
		return ""
	case analysis.TypeInt:
		return 0
	case analysis.TypeFloat:
		return 0.0
	case analysis.TypeBool:
		return false
	case analysis.TypeDate:
		return time.Time{}
	}
	return nil
}

// TypeOf maps a checked Go type back to a column type.
func TypeOf(t reflect.Type) analysis.ColumnType {
	if t == nil {
		return analysis.TypeAny
	}
	switch t.Kind() {
	case reflect.String:
		return analysis.TypeString
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8,
		reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		return analysis.TypeInt
	case reflect.Float64, reflect.Float32:
		return analysis.TypeFloat
	case reflect.Bool:
		return analysis.TypeBool
	}
	if t == reflect.TypeOf(time.Time{}) {
		return analysis.TypeDate
	}
	return analysis.TypeAny
}

// Program is one compiled expression.
type Program struct {
	Src  analysis.Expr
	Type analysis.ColumnType // the checked result type; TypeAny when unknown
	// GoType is the checked Go type of the result (nil when unknown).
	GoType reflect.Type
	// Refs are the names from the Env the expression uses, sorted.
	Refs []string
	prog *vm.Program // with null semantics
	fast *vm.Program // with expr-lang's operators, for rows without nulls
	// parts are the conjuncts of a boolean program joined by && at its
	// top, each compiled on its own (see Conjuncts); nil otherwise.
	parts []*Program
	// name is set when the whole expression is one name of the Env.
	name string
	what string // names the expression in messages ("derive midpoint")
}

// Name returns the name the expression consists of, when it is nothing
// but one name of the Env (sum(deaths) has the argument deaths): its value
// is then that name's value, null included, and a caller may take it
// without running the program.
func (p *Program) Name() (string, bool) { return p.name, p.name != "" }

// Conjuncts splits a boolean program whose top operator is && (or and)
// into its operands, in order, each a program of its own with its own
// Refs. A row passes the program exactly when it passes each conjunct in
// turn (null and false both fail), so a caller can stop at the first that
// fails and put in the environment only what the conjuncts it runs read:
// a cheap test first spares the others. Only operands of type bool are
// split, and only when the optimizer leaves the conjunction as written, so
// that the conjuncts run exactly what the whole would, in the same order,
// and meet the same errors. Any other program is its own only conjunct.
func (p *Program) Conjuncts() []*Program {
	if p.parts == nil {
		return []*Program{p}
	}
	return p.parts
}

// Want constrains the result type of an expression.
type Want int

const (
	AnyResult  Want = iota
	BoolResult      // where and claim checks
)

// Compile type-checks e against env and compiles it with null semantics.
// what names the expression in messages ("where", "derive midpoint").
func Compile(e analysis.Expr, what string, env *Env, want Want) (*Program, error) {
	return compile(e, what, env, want, nil)
}

// compile does the work of Compile; extra, when set, gives options (such as
// a patch) to apply in both passes, fresh for each.
func compile(e analysis.Expr, what string, env *Env, want Want, extra func() []expr.Option) (*Program, error) {
	base := func() []expr.Option {
		opts := []expr.Option{expr.Env(env.checkEnv()), expr.MaxNodes(MaxNodes)}
		opts = append(opts, functionOptions()...)
		if extra != nil {
			opts = append(opts, extra()...)
		}
		return opts
	}

	if err := checkDepth(e); err != nil {
		return nil, err
	}
	// Pass 1: the expression as written, so type errors name its operators.
	cfg := newConfig(base())
	if err := misplacedNames(e, what, env, base()); err != nil {
		return nil, err
	}
	tree, err := parse(e.Src, base())
	if err == nil {
		_, err = new(checker.Checker).PatchAndCheck(tree, cfg)
	}
	if err != nil {
		return nil, shadowHint(e, env, fileError(e, what, env, err))
	}
	if err := checkLiterals(tree.Node, e); err != nil {
		return nil, err
	}
	t := tree.Node.Type()
	p := &Program{Src: e, what: what, Type: TypeOf(t), GoType: t, Refs: refs(tree.Node, env)}
	if id, ok := tree.Node.(*ast.IdentifierNode); ok && len(p.Refs) == 1 && p.Refs[0] == id.Value {
		p.name = id.Value
	}
	if t != nil && t.Kind() == reflect.Interface {
		p.Type, p.GoType = analysis.TypeAny, nil
	}
	if want == BoolResult && p.Type != analysis.TypeBool && p.Type != analysis.TypeAny {
		return nil, position.Errorf(e.Pos, "%s must be true or false, but this expression gives %s (compare it, e.g. x > 0)", what, p.Type.WithArticle())
	}

	// Pass 2: the same source, operators rewritten to null-aware calls.
	prog, err := compileProgram(e.Src, append(base(), nullAware()...))
	if err != nil {
		return nil, fileError(e, what, env, err)
	}
	p.prog = prog
	// Pass 3: the expression as written, with expr-lang's own operators
	// but checked arithmetic, for rows whose columns are all present (see
	// VM.EvalPresent).
	if fast, err := compileProgram(e.Src, append(base(), present()...)); err == nil {
		p.fast = fast
	}
	if want == BoolResult {
		p.parts = compileConjuncts(e, what, tree.Node, env, base)
	}
	return p, nil
}

// nullAware are the patches of the null-aware program, present those of
// the fast one.
func nullAware() []expr.Option {
	return []expr.Option{expr.Patch(foldDates{}), expr.Patch(nullPatch{}), expr.Patch(textPatch{}), expr.Patch(checkPatch{})}
}

func present() []expr.Option {
	return []expr.Option{expr.Patch(foldDates{}), expr.Patch(textPatch{}), expr.Patch(checkPatch{})}
}

// compileProgram compiles src as expr.Compile does, through compileTree.
func compileProgram(src string, opts []expr.Option) (*vm.Program, error) {
	cfg := newConfig(opts)
	tree, err := parse(src, opts)
	if err != nil {
		return nil, err
	}
	return compileTree(tree, cfg)
}

// compileTree patches, checks, optimizes and compiles tree as expr.Compile
// does, inside the let that gives each evaluation a fresh text budget
// (budget.go), which is dropped when no checked call reads it.
func compileTree(tree *parser.Tree, cfg *conf.Config) (*vm.Program, error) {
	if err := patchTree(tree, cfg); err != nil {
		return nil, err
	}
	if cfg.Optimize {
		if err := optimizer.Optimize(&tree.Node, cfg); err != nil {
			var fe *file.Error
			if errors.As(err, &fe) {
				return nil, fe.Bind(tree.Source)
			}
			return nil, err
		}
	}
	return compiler.Compile(tree, cfg)
}

func patchTree(tree *parser.Tree, cfg *conf.Config) error {
	tree.Node = withBudget(tree.Node)
	if _, err := new(checker.Checker).PatchAndCheck(tree, cfg); err != nil {
		return err
	}
	if l := tree.Node.(*ast.VariableDeclaratorNode); !usesBudget(l.Expr) {
		tree.Node = l.Expr
		if _, err := checker.Check(tree, cfg); err != nil {
			return err
		}
	}
	return nil
}

// conjuncts flattens the && (and) at the top of n into its operands.
func conjuncts(n ast.Node) []ast.Node {
	if l, ok := n.(*ast.VariableDeclaratorNode); ok && l.Name == budgetVar {
		return conjuncts(l.Expr)
	}
	if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == "&&" || b.Operator == "and") {
		return append(conjuncts(b.Left), conjuncts(b.Right)...)
	}
	return []ast.Node{n}
}

// compileConjuncts compiles each conjunct of checked, the checked tree of
// e, as a program; nil when there is only one, or when one does not
// compile alone (it then runs as part of the whole).
func compileConjuncts(e analysis.Expr, what string, checked ast.Node, env *Env, base func() []expr.Option) []*Program {
	nodes := conjuncts(checked)
	if len(nodes) < 2 {
		return nil
	}
	for _, n := range nodes {
		if t := n.Type(); t == nil || t.Kind() != reflect.Bool {
			// An operand that may not be a bool at run time is an error
			// the whole program reports (truth); alone it would be false.
			return nil
		}
	}
	if optimized, err := optimizedConjuncts(e.Src, append(base(), present()...)); err != nil || optimized != len(nodes) {
		// The optimizer folded the conjunction (x && false is false): the
		// whole never runs what a split would.
		return nil
	}
	progs, err := compileParts(e.Src, len(nodes), append(base(), nullAware()...))
	if err != nil {
		return nil
	}
	fast, err := compileParts(e.Src, len(nodes), append(base(), present()...))
	if err != nil {
		fast = make([]*vm.Program, len(nodes)) // the null-aware programs serve alone
	}
	parts := make([]*Program, len(nodes))
	for k, n := range nodes {
		t := n.Type()
		parts[k] = &Program{Src: e, what: what, Type: TypeOf(t), GoType: t, Refs: refs(n, env), prog: progs[k], fast: fast[k]}
	}
	return parts
}

// optimizedConjuncts counts the conjuncts at the top of src once it is
// checked and optimized, as expr.Compile does.
func optimizedConjuncts(src string, opts []expr.Option) (int, error) {
	cfg := newConfig(opts)
	tree, err := parse(src, opts)
	if err != nil {
		return 0, err
	}
	if err := patchTree(tree, cfg); err != nil {
		return 0, err
	}
	if cfg.Optimize {
		if err := optimizer.Optimize(&tree.Node, cfg); err != nil {
			return 0, err
		}
	}
	return len(conjuncts(tree.Node)), nil
}

// parse parses src as the options say, except that no name of their
// environment is taken for a function: expr-lang's parser reads len(x) as
// a call of the column len when there is one, where the names rule (a
// name followed by ( is the function) wants the builtin.
func parse(src string, opts []expr.Option) (*parser.Tree, error) {
	noEnv := append(opts[:len(opts):len(opts)], expr.Env(map[string]any{}))
	return parser.ParseWithConfig(src, newConfig(noEnv))
}

func newConfig(opts []expr.Option) *conf.Config {
	cfg := conf.CreateNew()
	for _, o := range opts {
		o(cfg)
	}
	for name := range cfg.Disabled {
		delete(cfg.Builtins, name)
	}
	cfg.Check()
	return cfg
}

// compileParts compiles each of the n conjuncts of src alone: src is
// parsed whole, so that their nodes keep their places in it for runtime
// errors, then each is patched, checked and compiled as expr.Compile does.
func compileParts(src string, n int, opts []expr.Option) ([]*vm.Program, error) {
	cfg := newConfig(opts)
	tree, err := parse(src, opts)
	if err != nil {
		return nil, err
	}
	nodes := conjuncts(tree.Node)
	if len(nodes) != n {
		return nil, fmt.Errorf("%d conjuncts, want %d", len(nodes), n)
	}
	progs := make([]*vm.Program, n)
	for k, node := range nodes {
		part := &parser.Tree{Node: node, Source: tree.Source}
		if progs[k], err = compileTree(part, cfg); err != nil {
			return nil, err
		}
	}
	return progs, nil
}

// checkLiterals catches, before any row is read, what the checker cannot:
// a literal argument a function would refuse at run time.
func checkLiterals(n ast.Node, e analysis.Expr) error {
	var err error
	ast.Walk(&n, visitFunc(func(node *ast.Node) {
		if id, ok := (*node).(*ast.IdentifierNode); ok && id.Value == "$env" && err == nil {
			// What an expression reads must be known from its names: the
			// order values are computed in, their sources and the columns
			// a row puts in the environment all follow from them.
			err = position.Errorf(offsetPos(e, id.Location().From), "$env is not available in an expression; write the name itself (a column, view or value), e.g. deaths instead of $env[\"deaths\"]")
			return
		}
		c, ok := (*node).(*ast.CallNode)
		if !ok || err != nil || len(c.Arguments) == 0 {
			return
		}
		if galleyFunc(c.Callee) == "format" {
			err = checkFormatCall(c, e)
			return
		}
		s, ok := c.Arguments[0].(*ast.StringNode)
		if !ok {
			return
		}
		switch galleyFunc(c.Callee) {
		case "date_trunc":
			if !slices.Contains(TruncUnits, s.Value) {
				err = position.Errorf(offsetPos(e, s.Location().From), "date_trunc: unknown unit %q (use one of %s)", s.Value, strings.Join(TruncUnits, ", "))
			}
		case "date":
			layout := time.DateOnly
			if len(c.Arguments) > 1 {
				l, ok := c.Arguments[1].(*ast.StringNode)
				if !ok {
					return
				}
				layout = l.Value
			}
			if _, perr := time.ParseInLocation(layout, s.Value, time.UTC); perr != nil {
				err = position.Errorf(offsetPos(e, s.Location().From), "date(%q): not a date in the layout %q (write dates as YYYY-MM-DD)", s.Value, layout)
			}
		}
	}))
	return err
}

// refs lists the env names an expression reads, sorted.
func refs(n ast.Node, env *Env) []string {
	seen := map[string]bool{}
	ast.Walk(&n, visitFunc(func(node *ast.Node) {
		if id, ok := (*node).(*ast.IdentifierNode); ok {
			if _, in := env.sample[id.Value]; in {
				seen[id.Value] = true
			}
		}
	}))
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type visitFunc func(*ast.Node)

func (f visitFunc) Visit(n *ast.Node) { f(n) }

// VM is a reusable evaluator; one per goroutine.
type VM struct{ m vm.VM }

// Eval runs p over env. A runtime error comes back positioned at the
// expression; the caller adds which row it was evaluating.
func (m *VM) Eval(p *Program, env any) (any, error) {
	m.m.MemoryBudget = MemoryBudget
	out, err := m.m.Run(p.prog, env)
	if err != nil {
		return nil, runtimeError(p, err)
	}
	return out, nil
}

// EvalPresent is Eval for a caller that knows none of the names p reads
// is null: it runs the program with expr-lang's own operators, two to three
// times faster than the null-aware ones, and falls back to Eval if that
// fails (a null met along the way, or a real error, which Eval then
// reports), except for a result refused by the checked arithmetic or the
// text budget, which Eval would only meet again. When no value along the way is null, both give the same
// result; a null made inside the expression (find() finding nothing)
// stops the fast program, except where expr-lang turns it into text:
// string(find(...)) is "<nil>" there, so row expressions should not.
func (m *VM) EvalPresent(p *Program, env any) (any, error) {
	if p.fast != nil {
		m.m.MemoryBudget = MemoryBudget
		out, err := m.m.Run(p.fast, env)
		if err == nil {
			return out, nil
		}
		if errors.As(err, new(*arithError)) {
			// A refused result (an overflow, a budget passed): the
			// null-aware program computes the same values and would
			// meet it again, at the same place, after as much work.
			return nil, runtimeError(p, err)
		}
	}
	return m.Eval(p, env)
}

// Test runs a boolean program: a null result is false.
func (m *VM) Test(p *Program, env any) (bool, error) {
	out, err := m.Eval(p, env)
	if err != nil {
		return false, err
	}
	b, _ := out.(bool)
	return b, nil
}

var unknownNameRE = regexp.MustCompile(`^unknown name ([^ ]+)$`)
var operatorTokenRE = regexp.MustCompile(`^unexpected token Operator\("(startsWith|endsWith|contains|matches|in)"\)$`)
var noFieldRE = regexp.MustCompile(`^type .* has no field ([^ ]+)$`)

// fileError shifts an expr-lang error into the analysis file and rewords
// the common ones.
func fileError(e analysis.Expr, what string, env *Env, err error) error {
	fe, ok := err.(*file.Error)
	if !ok {
		return position.Errorf(e.Pos, "%s: %v", what, err)
	}
	pos := e.At(fe.Line, byteCol(e.Src, fe.Line, fe.Column))
	msg, hint, span := fe.Message, "", 0
	if m := unknownNameRE.FindStringSubmatch(msg); m != nil && slices.Contains(disabled, m[1]) {
		msg = fmt.Sprintf("%s() is not available in an analysis: expressions are pure, so a report never depends on the clock or the machine", m[1])
		if m[1] == "date" || m[1] == "keys" || m[1] == "values" {
			msg = fmt.Sprintf("%s: %s", what, fe.Message)
		}
	} else if m != nil {
		near := env.near
		if near == nil {
			near = env.names
		}
		msg, hint, span = fmt.Sprintf("unknown %s %q in %s", env.Noun, m[1], what), suggest.DidYouMean(m[1], near), len(m[1])
	} else if m := noFieldRE.FindStringSubmatch(msg); m != nil {
		msg, span = fmt.Sprintf("unknown column %q in %s", m[1], what), len(m[1])
	} else {
		msg = fmt.Sprintf("%s: %s", what, strings.TrimSpace(msg))
	}
	if strings.Contains(msg, "exceeds maximum allowed nodes") {
		msg = fmt.Sprintf("%s: the expression has more than %d parts (names, numbers, operators), the limit for one expression; split it into values or derived columns", what, MaxNodes)
	}
	if strings.Contains(e.Src, "?") && strings.Contains(msg, "unexpected token") {
		hint = "a ? b : c must be quoted in YAML: 'a ? b : c'"
	}
	if m := operatorTokenRE.FindStringSubmatch(fe.Message); m != nil {
		if suggestion, ok := operatorCall(e.Src, fe.Line, fe.Column, m[1]); ok {
			msg, hint = fmt.Sprintf("%s: %s is an operator, not a function: write %s", what, m[1], suggestion), ""
		}
	}
	return position.Errorf(pos, "%s", msg).Span(span).Hinted(hint)
}

// byteCol turns expr's rune column on a line of src into a byte column.
func byteCol(src string, line, col int) int {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return col
	}
	l := lines[line-1]
	b := 0
	for i := 0; i < col && b < len(l); i++ {
		_, n := utf8.DecodeRuneInString(l[b:])
		b += n
	}
	return b
}

// runtimeError positions an error of p's evaluation at the operator or
// call that failed; an arithmetic result refused (an overflow) also names
// the expression, as compile errors do.
func runtimeError(p *Program, err error) error {
	e := p.Src
	msg := err.Error()
	var ae *arithError
	if errors.As(err, &ae) {
		msg = p.what + ": " + ae.msg
	}
	if fe, ok := err.(*file.Error); ok {
		if ae == nil {
			msg = goTypes(fe.Message, e.Src)
		}
		return position.Errorf(e.At(fe.Line, byteCol(e.Src, fe.Line, fe.Column)), "%s", msg)
	}
	return position.Errorf(e.Pos, "%s", goTypes(msg, e.Src))
}

// interfaceConversion is how the Go runtime words a value of the wrong type
// met inside one of expr-lang's builtins (count([rows]) wants true or false
// values): a reporter must not read Go types.
var interfaceConversion = regexp.MustCompile(`^interface conversion: interface \{\} is (.+), not ([\w.\[\]{} ]+)$`)

// goTypes rewords a Go runtime message about types in the words of an
// analysis; src is the expression, for a hint.
func goTypes(msg, src string) string {
	m := interfaceConversion.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	msg = fmt.Sprintf("a function was given %s where it wants %s", goKind(m[1]), goKind(m[2]))
	if strings.Contains(src, "count(") && m[2] == "bool" {
		msg += " (count(list) counts the true values of a list of true or false; count(list, predicate) counts the items the predicate holds for, and len(list) every item)"
	}
	return msg
}

// goKind names a Go type as an analysis knows it.
func goKind(t string) string {
	switch {
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a string"
	case t == "int" || t == "int64":
		return "an int"
	case t == "float64":
		return "a float"
	case t == "time.Time":
		return "a date"
	case strings.HasPrefix(t, "struct"):
		return "a row"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map"):
		return "a record"
	}
	return "a value of another kind"
}

// foldDates replaces date("2016-10-17") (literal arguments) by the date
// itself, once at compile time instead of on every row. checkLiterals has
// already refused a literal that is not a date.
type foldDates struct{}

func (foldDates) Visit(node *ast.Node) {
	c, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	if galleyFunc(c.Callee) != "date" || len(c.Arguments) == 0 || len(c.Arguments) > 2 {
		return
	}
	args := make([]any, len(c.Arguments))
	for i, a := range c.Arguments {
		str, ok := a.(*ast.StringNode)
		if !ok {
			return
		}
		args[i] = str.Value
	}
	if v, err := dateFn(args...); err == nil {
		ast.Patch(node, &ast.ConstantNode{Value: v})
	}
}

// nullPatch rewrites operators that fail on nil into null-aware calls;
// checkPatch, after it, rewrites the arithmetic ones.
type nullPatch struct{}

func (nullPatch) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BinaryNode:
		if n.Operator == ".." {
			ast.Patch(node, guard(n, n.Left, n.Right))
			return
		}
		if name, ok := opNames[n.Operator]; ok {
			ast.Patch(node, call(name, n.Left, n.Right))
			return
		}
		switch n.Operator {
		case "&&", "and", "||", "or":
			n.Left = truth(n.Left)
			n.Right = truth(n.Right)
		}
	case *ast.BuiltinNode:
		if nullSafeBuiltins[n.Name] && len(n.Arguments) > 0 {
			ast.Patch(node, guard(n, n.Arguments...))
		}
	case *ast.UnaryNode:
		switch n.Operator {
		case "!", "not":
			ast.Patch(node, call(fnNot, n.Node))
		}
	case *ast.ConditionalNode:
		n.Cond = truth(n.Cond)
	}
}

// nullSafeBuiltins are the expr-lang builtins on scalars that give null
// when an argument is null, instead of stopping the run.
var nullSafeBuiltins = map[string]bool{
	"abs": true, "ceil": true, "floor": true, "int": true, "float": true, "string": true,
	"trim": true, "trimPrefix": true, "trimSuffix": true, "upper": true, "lower": true,
	"split": true, "splitAfter": true, "replace": true, "repeat": true, "indexOf": true,
	"lastIndexOf": true, "hasPrefix": true, "hasSuffix": true, "len": true, "max": true,
	"min": true, "duration": true, "toBase64": true, "fromBase64": true,
}

// guard wraps n as `args any null ? nil : n`. The arguments are evaluated
// twice; they are pure, so only time is spent.
func guard(n ast.Node, args ...ast.Node) ast.Node {
	c := &ast.ConditionalNode{Cond: call(fnAnyNil, args...), Exp1: &ast.NilNode{}, Exp2: n}
	c.SetLocation(n.Location())
	return c
}

func isString(n ast.Node) bool {
	_, ok := n.(*ast.StringNode)
	return ok
}

func call(name string, args ...ast.Node) ast.Node {
	c := &ast.CallNode{Callee: &ast.IdentifierNode{Value: name}, Arguments: args}
	if len(args) > 0 {
		c.SetLocation(args[0].Location())
		c.Callee.SetLocation(args[0].Location())
	}
	return c
}

// truth wraps an operand of && and || so that null reads as false, unless
// it is already certain to be a bool.
func truth(n ast.Node) ast.Node {
	switch x := n.(type) {
	case *ast.BoolNode:
		return n
	case *ast.CallNode:
		if id, ok := x.Callee.(*ast.IdentifierNode); ok {
			if _, cmp := compareOps[id.Value]; cmp || id.Value == fnTruthy {
				return n
			}
		}
	case *ast.BinaryNode:
		switch x.Operator {
		case "&&", "||", "and", "or":
			return n
		}
	}
	return call(fnTruthy, n)
}

// Names lists the identifiers an expression reads, sorted and without
// repeats, before it is compiled: to order values by their dependencies.
func Names(e analysis.Expr) []string {
	if tooDeep(e.Src) >= 0 {
		return nil // Compile reports it, with its position
	}
	cfg := conf.CreateNew()
	for _, o := range functionOptions() {
		o(cfg)
	}
	tree, err := parser.ParseWithConfig(e.Src, cfg)
	if err != nil {
		return nil // Compile reports it, with its position
	}
	// A function's name before ( is the function, not a name the
	// expression reads (a value may be named year beside year(d)).
	callees := map[ast.Node]bool{}
	ast.Walk(&tree.Node, visitFunc(func(node *ast.Node) {
		if c, ok := (*node).(*ast.CallNode); ok {
			if id, ok := c.Callee.(*ast.IdentifierNode); ok && IsFunction(id.Value) {
				callees[id] = true
			}
		}
	}))
	seen := map[string]bool{}
	ast.Walk(&tree.Node, visitFunc(func(node *ast.Node) {
		if id, ok := (*node).(*ast.IdentifierNode); ok && !callees[id] {
			seen[id.Value] = true
		}
	}))
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
