node/node-1 ipset add KUBE-NODE-PORT-TCP 30080
