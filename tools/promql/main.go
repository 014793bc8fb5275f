// promql checks Prometheus rule files and PromQL expressions with Prometheus's own packages (the
// rule file parser and PromQL parser that `promtool check rules` uses), and lists the metric
// names they query, so tests can compare them with what the operator really exports.
//
//	promql rules FILE...   validate rule files (groups, names, durations, expressions, templates)
//	promql exprs           validate a JSON array of expressions read from stdin
//	promql metrics         parse a /metrics page (text exposition format) read from stdin
//
// They print one JSON object: {"rules": N, "metrics": [...]} (sorted, unique), and for metrics
// also "families": {name: {"type": "COUNTER", "samples": [{"labels": {...}, "value": 1}]}}; on a
// problem they print each one to stderr, naming the file or expression, and exit 1.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

type result struct {
	Rules    int               `json:"rules"`
	Metrics  []string          `json:"metrics"`
	Families map[string]family `json:"families,omitempty"`
}

type family struct {
	Type    string   `json:"type"`
	Samples []sample `json:"samples"`
}

type sample struct {
	Labels map[string]string `json:"labels"`
	Value  float64           `json:"value"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: promql rules FILE... | promql exprs < exprs.json | promql metrics < page.txt")
		os.Exit(2)
	}
	metrics := map[string]bool{}
	p := parser.NewParser(parser.Options{})
	var out result
	var problems []string
	switch os.Args[1] {
	case "rules":
		for _, file := range os.Args[2:] {
			groups, errs := rulefmt.ParseFile(file, false, model.UTF8Validation, p, slog.Default())
			for _, err := range errs {
				problems = append(problems, fmt.Sprintf("%s: %v", file, err))
			}
			if groups == nil {
				continue
			}
			for _, g := range groups.Groups {
				for _, r := range g.Rules {
					out.Rules++
					problems = append(problems, collect(p, r.Expr, metrics)...)
				}
			}
		}
	case "exprs":
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			fail(err)
		}
		var exprs []string
		if err := json.Unmarshal(data, &exprs); err != nil {
			fail(fmt.Errorf("stdin: a JSON array of strings is expected: %w", err))
		}
		for _, e := range exprs {
			problems = append(problems, collect(p, e, metrics)...)
		}
	case "metrics":
		// The parser Prometheus's scraper uses for the text format (what /metrics serves).
		tp := expfmt.NewTextParser(model.UTF8Validation)
		families, err := tp.TextToMetricFamilies(os.Stdin)
		if err != nil {
			problems = append(problems, fmt.Sprintf("stdin: %v", err))
		}
		out.Families = map[string]family{}
		for name, mf := range families {
			metrics[name] = true
			f := family{Type: mf.GetType().String(), Samples: []sample{}}
			for _, m := range mf.GetMetric() {
				s := sample{Labels: map[string]string{}}
				for _, l := range m.GetLabel() {
					s.Labels[l.GetName()] = l.GetValue()
				}
				switch {
				case m.Counter != nil:
					s.Value = m.GetCounter().GetValue()
				case m.Gauge != nil:
					s.Value = m.GetGauge().GetValue()
				case m.Histogram != nil:
					s.Value = float64(m.GetHistogram().GetSampleCount())
				case m.Summary != nil:
					s.Value = float64(m.GetSummary().GetSampleCount())
				case m.Untyped != nil:
					s.Value = m.GetUntyped().GetValue()
				}
				f.Samples = append(f.Samples, s)
			}
			out.Families[name] = f
		}
	default:
		fmt.Fprintf(os.Stderr, "promql: unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, p)
	}
	out.Metrics = []string{}
	for m := range metrics {
		out.Metrics = append(out.Metrics, m)
	}
	sort.Strings(out.Metrics)
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
}

// collect parses one expression and adds the metric name of every vector selector in it.
func collect(p parser.Parser, expr string, metrics map[string]bool) []string {
	node, err := p.ParseExpr(expr)
	if err != nil {
		return []string{fmt.Sprintf("%q: %v", expr, err)}
	}
	var problems []string
	parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		name := vs.Name
		for _, m := range vs.LabelMatchers {
			if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
				name = m.Value
			}
		}
		if name == "" {
			problems = append(problems, fmt.Sprintf("%q: selector %s names no metric", expr, vs.String()))
		} else {
			metrics[name] = true
		}
		return nil
	})
	return problems
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "promql:", err)
	os.Exit(1)
}
