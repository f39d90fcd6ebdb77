/** Labels more than one layer recognises: the control plane sets them, the network build reads them. */

/** ingress-nginx's controller Pods (the labels of its upstream manifest). */
export const INGRESS_LABELS = { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' } as const;
