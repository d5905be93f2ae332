package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// health asks a running kensa's HTTP listener whether it is up (/healthz)
// or ready (/readyz). It is the container image's HEALTHCHECK: the slim
// image has no curl or wget, and kensa knows its own listen address.
func health(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "YAML config `file` whose http.listen to ask (default: embedded defaults)")
	url := fs.String("url", "", "`URL` to get instead (e.g. http://127.0.0.1:8899/healthz)")
	ready := fs.Bool("ready", false, "ask /readyz (rules loaded, milter listening, store reachable) instead of /healthz")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kensa health: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	target := *url
	if target == "" {
		cfg, err := loadConfig(*configPath)
		if err != nil {
			fmt.Fprintf(stderr, "kensa health: %v\n", err)
			return exitError
		}
		path := "/healthz"
		if *ready {
			path = "/readyz"
		}
		target, err = healthURL(cfg.HTTP.Listen, path)
		if err != nil {
			fmt.Fprintf(stderr, "kensa health: %v\n", err)
			return exitError
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	status, body, err := httpGet(ctx, target)
	if err != nil {
		fmt.Fprintf(stderr, "kensa health: %v\n", err)
		return exitFlagged
	}
	fmt.Fprintf(stdout, "%s: %d %s\n", target, status, body)
	if status != http.StatusOK {
		return exitFlagged
	}
	return exitOK
}

// healthURL turns an http.listen address into a URL this host can reach:
// a wildcard host (0.0.0.0, ::, none) is asked on loopback.
func healthURL(listen, path string) (string, error) {
	if listen == "" {
		return "", errors.New("the HTTP listener is off (http.listen is empty); give --url")
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("http.listen %q: %w", listen, err)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + path, nil
}

// httpGet returns the status and the body on one line (at most 500 bytes,
// lines joined with "; ", control characters dropped): enough to say why
// it is not ready.
func httpGet(ctx context.Context, url string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", fmt.Errorf("GET %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
	b = bytes.ReplaceAll(bytes.TrimSpace(b), []byte("\n"), []byte("; "))
	b = bytes.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, b)
	return resp.StatusCode, string(b), nil
}
