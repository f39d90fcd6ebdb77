# the learner turns forwarding back on
node/node-2 sysctl -w net.ipv4.ip_forward=1
