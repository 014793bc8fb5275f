// Command kube-controller-manager is the upstream controller manager (Deployments, ReplicaSets,
// ServiceAccount tokens, garbage collection...), built from Go modules for the test node.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	os.Exit(cli.Run(app.NewControllerManagerCommand()))
}
