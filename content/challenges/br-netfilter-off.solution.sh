node/node-1 sysctl -w net.bridge.bridge-nf-call-iptables=1
