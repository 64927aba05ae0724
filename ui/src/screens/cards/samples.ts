// Example payloads for "paste payload", shaped like what the tools really send.

const alertmanager = {
  receiver: "lark-companion",
  status: "firing",
  alerts: [
    {
      status: "firing",
      labels: { alertname: "HighCPUUsage", instance: "api-3:9100", job: "node", severity: "critical", team: "platform" },
      annotations: {
        summary: "CPU above 95% on api-3",
        description: "api-3 has been above 95% CPU for 10 minutes (current value: 97.2%).",
        runbook_url: "https://runbooks.example.com/high-cpu",
      },
      startsAt: "2024-05-01T12:30:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=cpu_usage+%3E+0.95",
      fingerprint: "c1a2b3d4e5f60718",
    },
    {
      status: "resolved",
      labels: { alertname: "HighCPUUsage", instance: "api-4:9100", job: "node", severity: "warning", team: "platform" },
      annotations: { summary: "CPU back to normal on api-4", description: "api-4 CPU is back below 95%." },
      startsAt: "2024-05-01T11:00:00Z",
      endsAt: "2024-05-01T12:10:00Z",
      generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=cpu_usage+%3E+0.95",
      fingerprint: "9a8b7c6d5e4f3021",
    },
  ],
  groupLabels: { alertname: "HighCPUUsage" },
  commonLabels: { alertname: "HighCPUUsage", job: "node", team: "platform" },
  commonAnnotations: {},
  externalURL: "http://alertmanager.example.com:9093",
  version: "4",
  groupKey: '{}/{team="platform"}:{alertname="HighCPUUsage"}',
  truncatedAlerts: 0,
};

const grafana = {
  receiver: "Lark",
  status: "firing",
  orgId: 1,
  alerts: [
    {
      status: "firing",
      labels: { alertname: "Checkout latency", grafana_folder: "Shop", service: "checkout", severity: "warning" },
      annotations: {
        summary: "p99 latency of checkout above 800 ms",
        description: "The p99 latency of the checkout service has been above 800 ms for 5 minutes.",
      },
      startsAt: "2024-05-01T09:15:00+08:00",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "https://grafana.example.com/alerting/grafana/aBcD1234/view?orgId=1",
      fingerprint: "57c6d9296de2ad39",
      dashboardURL: "https://grafana.example.com/d/shop-overview?orgId=1",
      panelURL: "https://grafana.example.com/d/shop-overview?orgId=1&viewPanel=4",
      values: { B: 912.5, C: 1 },
    },
  ],
  commonLabels: { alertname: "Checkout latency", service: "checkout", severity: "warning" },
  externalURL: "https://grafana.example.com/",
  version: "1",
  title: "[FIRING:1] Checkout latency Shop",
};

export const SAMPLE_PAYLOADS = {
  alertmanager: JSON.stringify(alertmanager, null, 2),
  grafana: JSON.stringify(grafana, null, 2),
} as const;

export type SamplePayload = keyof typeof SAMPLE_PAYLOADS;
