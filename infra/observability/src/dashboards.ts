/**
 * The Grafana dashboards: one per service and one for the programme, built from the metrics the
 * services expose (libs/http, libs/grpc, libs/events, prom-client's process metrics, and the
 * services' own). Every series carries `service`, set by the PodMonitors
 * (k8s/components/monitoring). infra/deploy/test/unit/observability.test.ts checks that every
 * metric a panel reads is one the code defines.
 */

export const SERVICES = ['registration', 'activities', 'lectures', 'scoring', 'notifications'];

/** One query of a panel: PromQL and the legend Grafana draws for each series. */
export interface Query {
  readonly expr: string;
  readonly legend: string;
}

export interface Panel {
  readonly title: string;
  readonly description: string;
  /** Grafana's unit: reqps, percentunit, s, bytes, short, ops. */
  readonly unit: string;
  readonly queries: readonly Query[];
}

export interface Row {
  readonly title: string;
  readonly panels: readonly Panel[];
}

export interface Dashboard {
  /** Grafana's uid and the file's name. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly rows: readonly Row[];
}

/** Probes and scrapes answer in microseconds and would hide the API's latency. */
const REAL_ROUTES = 'route!~"/healthz|/readyz|/metrics"';
const RATE = '[$__rate_interval]';

function serviceRows(service: string): Row[] {
  const of = `service="${service}"`;
  return [
    {
      title: 'HTTP',
      panels: [
        {
          title: 'Requests by status',
          description: 'Responses per second, by status code.',
          unit: 'reqps',
          queries: [
            {
              expr: `sum by (status_code) (rate(http_request_duration_seconds_count{${of}}${RATE}))`,
              legend: '{{status_code}}',
            },
          ],
        },
        {
          title: '5xx share',
          description:
            'Share of responses that are server errors (alert HttpErrorRateHigh at 5 %).',
          unit: 'percentunit',
          queries: [
            {
              expr: `sum(rate(http_request_duration_seconds_count{${of},status_code=~"5.."}${RATE})) / sum(rate(http_request_duration_seconds_count{${of}}${RATE}))`,
              legend: '5xx',
            },
          ],
        },
        {
          title: 'p99 latency by route',
          description:
            'Slowest 1 % of requests per route pattern (alert HttpLatencyP99High at 1 s).',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (route, le) (rate(http_request_duration_seconds_bucket{${of},${REAL_ROUTES}}${RATE})))`,
              legend: '{{route}}',
            },
          ],
        },
      ],
    },
    {
      title: 'gRPC (served to the other services)',
      panels: [
        {
          title: 'Calls by method and code',
          description: 'gRPC calls served per second.',
          unit: 'ops',
          queries: [
            {
              expr: `sum by (method, code) (rate(grpc_server_handling_seconds_count{${of}}${RATE}))`,
              legend: '{{method}} {{code}}',
            },
          ],
        },
        {
          title: 'p99 by method',
          description: 'Slowest 1 % of gRPC calls per method.',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (method, le) (rate(grpc_server_handling_seconds_bucket{${of}}${RATE})))`,
              legend: '{{method}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Kafka: consumed',
      panels: [
        {
          title: 'Events handled by group and outcome',
          description:
            'processed, duplicate (already in the inbox), ignored, dead_lettered (alert DeadLetterGrowing).',
          unit: 'ops',
          queries: [
            {
              expr: `sum by (group, outcome) (rate(events_consumed_total{${of}}${RATE}))`,
              legend: '{{group}} {{outcome}}',
            },
          ],
        },
        {
          title: 'Consumer lag by group',
          description: 'Messages not yet handled (alert KafkaConsumerLagHigh at 1000).',
          unit: 'short',
          queries: [
            {
              expr: `sum by (group) (max by (group, topic, partition) (kafka_consumer_lag{${of}}))`,
              legend: '{{group}}',
            },
          ],
        },
        {
          title: 'Handling p99 by group',
          description: 'Time to handle one event, retries included.',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (group, le) (rate(events_handling_seconds_bucket{${of}}${RATE})))`,
              legend: '{{group}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Kafka: produced (the outbox relay)',
      panels: [
        {
          title: 'Events published by collection',
          description: 'Events the relay published to Kafka and removed from the outbox.',
          unit: 'ops',
          queries: [
            {
              expr: `sum by (collection) (rate(outbox_events_published_total{${of}}${RATE}))`,
              legend: '{{collection}}',
            },
            {
              expr: `sum by (collection) (rate(outbox_publish_failures_total{${of}}${RATE}))`,
              legend: '{{collection}} failed rounds',
            },
          ],
        },
        {
          title: 'Outbox backlog',
          description: 'Aggregates holding unpublished events.',
          unit: 'short',
          queries: [
            {
              expr: `max by (collection) (outbox_backlog_aggregates{${of}})`,
              legend: '{{collection}}',
            },
          ],
        },
        {
          title: 'Oldest unpublished event',
          description:
            'Age of the oldest event not yet published (alert OutboxBacklogStuck at 5 min).',
          unit: 's',
          queries: [
            {
              expr: `max by (collection) (outbox_oldest_pending_seconds{${of}})`,
              legend: '{{collection}}',
            },
          ],
        },
      ],
    },
    ...(serviceSpecificRows[service] ?? []),
    {
      title: 'Process',
      panels: [
        {
          title: 'CPU by pod',
          description: 'CPU seconds used per second (1 = one core).',
          unit: 'short',
          queries: [
            {
              expr: `sum by (pod) (rate(process_cpu_seconds_total{${of}}${RATE}))`,
              legend: '{{pod}}',
            },
          ],
        },
        {
          title: 'Resident memory by pod',
          description: 'RSS; the image caps the V8 heap at 192 MB.',
          unit: 'bytes',
          queries: [
            { expr: `max by (pod) (process_resident_memory_bytes{${of}})`, legend: '{{pod}}' },
          ],
        },
        {
          title: 'Event-loop lag p99 by pod',
          description: 'How late timers and I/O callbacks run: a busy or blocked process.',
          unit: 's',
          queries: [
            { expr: `max by (pod) (nodejs_eventloop_lag_p99_seconds{${of}})`, legend: '{{pod}}' },
          ],
        },
      ],
    },
  ];
}

const notificationsRows: Row[] = [
  {
    title: 'Fan-out and gateways',
    panels: [
      {
        title: 'Messages sent by channel',
        description: 'Accepted by the provider (sent) and not handed over (failed, by code).',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (channel) (rate(notifications_gateway_sent_total${RATE}))`,
            legend: '{{channel}} sent',
          },
          {
            expr: `sum by (channel, code) (rate(notifications_gateway_failed_total${RATE}))`,
            legend: '{{channel}} failed {{code}}',
          },
        ],
      },
      {
        title: 'Provider p99 by channel',
        description: 'How long one message took at its provider.',
        unit: 's',
        queries: [
          {
            expr: `histogram_quantile(0.99, sum by (channel, le) (rate(notifications_gateway_send_seconds_bucket${RATE})))`,
            legend: '{{channel}}',
          },
        ],
      },
      {
        title: 'Broadcasts unfinished and without progress',
        description:
          'Broadcasts queued or being worked, and seconds since the least recently moved wrote a batch (alert FanOutStalled at 15 min).',
        unit: 'short',
        queries: [
          { expr: 'max(notifications_broadcasts_unfinished)', legend: 'unfinished' },
          {
            expr: 'max(notifications_broadcast_seconds_without_progress)',
            legend: 'seconds without progress',
          },
        ],
      },
    ],
  },
];

const scoringRows: Row[] = [
  {
    title: 'Credits ledger',
    panels: [
      {
        title: 'Ledger entries by reason',
        description: 'Entries appended to the credits ledger.',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (reason) (rate(scoring_ledger_entries_appended_total${RATE}))`,
            legend: '{{reason}}',
          },
        ],
      },
      {
        title: 'Evaluation retries',
        description:
          'Evaluations started again because another evaluation of the holder appended first.',
        unit: 'ops',
        queries: [
          { expr: `sum(rate(scoring_evaluation_retries_total${RATE}))`, legend: 'retries' },
        ],
      },
    ],
  },
];

const serviceSpecificRows: Readonly<Record<string, readonly Row[]>> = {
  notifications: notificationsRows,
  scoring: scoringRows,
};

/** Events of one type as the consumer groups see them: each group handles each event once. */
const eventsOfType = (pattern: string, window: string): string =>
  `max by (type) (sum by (group, type) (increase(events_consumed_total{type=~"${pattern}",outcome="processed"}[${window}])))`;

const programme: Dashboard = {
  uid: 'learning-society-programme',
  title: 'Learning society: the programme',
  description: 'Sign-ups, attendance, credits and deliveries across the city.',
  rows: [
    {
      title: 'Participation',
      panels: [
        {
          title: 'Sign-ups per hour',
          description:
            'Enrollments confirmed and wait-listed, as the consumers of registration’s enrollment events counted them.',
          unit: 'short',
          queries: [
            {
              expr: eventsOfType(
                'registration\\\\.enrollment\\\\.(confirmed|waitlisted|waitlist-promoted)\\\\.v1',
                '1h',
              ),
              legend: '{{type}}',
            },
          ],
        },
        {
          title: 'Attendance per hour',
          description:
            'Check-ins and attendance recorded (activities, lecture sessions, training).',
          unit: 'short',
          queries: [
            {
              expr: eventsOfType(
                'registration\\\\.enrollment\\\\.(checked-in|session-checked-in|attendance-recorded)\\\\.v1',
                '1h',
              ),
              legend: '{{type}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Credits',
      panels: [
        {
          title: 'Credit facts per hour by source',
          description: 'Facts stored the first time their source was reported.',
          unit: 'short',
          queries: [
            {
              expr: 'sum by (source) (increase(scoring_facts_stored_total[1h]))',
              legend: '{{source}}',
            },
          ],
        },
        {
          title: 'Ledger entries per hour by reason',
          description: 'Credits awarded, corrected or revoked.',
          unit: 'short',
          queries: [
            {
              expr: 'sum by (reason) (increase(scoring_ledger_entries_appended_total[1h]))',
              legend: '{{reason}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Deliveries',
      panels: [
        {
          title: 'Messages delivered per hour by channel',
          description: 'SMS, email and WeChat messages the providers accepted.',
          unit: 'short',
          queries: [
            {
              expr: 'sum by (channel) (increase(notifications_gateway_sent_total[1h]))',
              legend: '{{channel}}',
            },
          ],
        },
        {
          title: 'Delivery failures per hour by channel',
          description: 'Messages not handed over, by failure code.',
          unit: 'short',
          queries: [
            {
              expr: 'sum by (channel, code) (increase(notifications_gateway_failed_total[1h]))',
              legend: '{{channel}} {{code}}',
            },
          ],
        },
      ],
    },
  ],
};

export const dashboards: readonly Dashboard[] = [
  ...SERVICES.map((service) => ({
    uid: `learning-society-${service}`,
    title: `Learning society: ${service}`,
    description: `HTTP, gRPC, Kafka, outbox and process metrics of ${service}.`,
    rows: serviceRows(service),
  })),
  programme,
];

const PANEL_WIDTH = 8;
const PANEL_HEIGHT = 8;

/** Grafana's dashboard JSON model (schemaVersion 39), with a Prometheus data source variable. */
export function grafanaJson(dashboard: Dashboard): Record<string, unknown> {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const row of dashboard.rows) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
    });
    y += 1;
    row.panels.forEach((panel, index) => {
      panels.push({
        id: id++,
        type: 'timeseries',
        title: panel.title,
        description: panel.description,
        datasource: { type: 'prometheus', uid: '${datasource}' },
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true } },
        gridPos: {
          h: PANEL_HEIGHT,
          w: PANEL_WIDTH,
          x: (index % 3) * PANEL_WIDTH,
          y: y + Math.floor(index / 3) * PANEL_HEIGHT,
        },
        targets: panel.queries.map((query, queryIndex) => ({
          datasource: { type: 'prometheus', uid: '${datasource}' },
          expr: query.expr,
          legendFormat: query.legend,
          refId: String.fromCharCode(65 + queryIndex),
        })),
      });
    });
    y += Math.ceil(row.panels.length / 3) * PANEL_HEIGHT;
  }
  return {
    uid: dashboard.uid,
    title: dashboard.title,
    description: dashboard.description,
    tags: ['learning-society'],
    editable: true,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' }],
    },
    panels,
  };
}
