import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** The ALB's `authenticate-oidc` action: the IdP signs operators in before the console sees them. */
export interface OidcSettings {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userInfoEndpoint: string;
  clientId: string;
  clientSecret: pulumi.Input<string>;
}

export interface EdgeArgs {
  vpcId: pulumi.Input<string>;
  /** Subnets for the load balancer (public, routed to the internet gateway). */
  publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  albSecurityGroupId: pulumi.Input<string>;
  /** Port the app container listens on. */
  appPort: number;
  /** An existing ACM certificate for the console's host name. */
  certificateArn?: string;
  /** Host name of the console; with `hostedZoneId` and no `certificateArn` the certificate is created here. */
  domainName?: string;
  /** Route 53 zone of `domainName`: the DNS validation record and the alias record go there. */
  hostedZoneId?: string;
  /** Serve plain HTTP instead of redirecting to HTTPS. Only for throwaway dev stacks. Default: false. */
  allowInsecureHttp?: boolean;
  /** Put an identity provider in front of the console. Default: none. */
  oidc?: OidcSettings;
  /** Requests per 5 minutes one IP may send to /api/auth/login before WAF blocks it. Default: 100. */
  loginRateLimit?: number;
  /** Tags for every resource. Default: none. */
  tags?: Record<string, string>;
}

/**
 * The internet-facing side: ALB, target group, HTTPS listener (certificate given or issued by ACM
 * with DNS validation), HTTP listener that only redirects, and a WAF rate rule on the login route.
 */
export class Edge extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly dnsName: pulumi.Output<string>;
  readonly targetGroupArn: pulumi.Output<string>;
  readonly listeners: aws.lb.Listener[];

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('opsroom:app:Edge', name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags ?? {};

    const alb = new aws.lb.LoadBalancer(name, {
      loadBalancerType: 'application',
      internal: false,
      subnets: args.publicSubnetIds,
      securityGroups: [args.albSecurityGroupId],
      dropInvalidHeaderFields: true,
      tags,
    }, parent);

    const targetGroup = new aws.lb.TargetGroup(name, {
      vpcId: args.vpcId,
      targetType: 'ip',
      port: args.appPort,
      protocol: 'HTTP',
      deregistrationDelay: 30,
      // /livez answers without the database: a Multi-AZ failover or a sleeping Neon compute must
      // not make ECS replace every task (and the checks must not keep Neon awake).
      healthCheck: { path: '/livez', matcher: '200', interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
      tags,
    }, parent);

    const forward = [
      ...(args.oidc ? [{ type: 'authenticate-oidc', order: 1, authenticateOidc: { ...args.oidc, onUnauthenticatedRequest: 'authenticate' } }] : []),
      { type: 'forward', order: args.oidc ? 2 : 1, targetGroupArn: targetGroup.arn },
    ];
    const certificateArn = args.certificateArn ?? (args.domainName && args.hostedZoneId
      ? this.certificate(name, args.domainName, args.hostedZoneId, tags)
      : undefined);

    if (args.domainName && args.hostedZoneId) {
      new aws.route53.Record(`${name}-alias`, {
        zoneId: args.hostedZoneId,
        name: args.domainName,
        type: 'A',
        aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
      }, parent);
    }

    if (!certificateArn && !args.allowInsecureHttp) {
      throw new Error('the console needs HTTPS: set opsroom:certificateArn, or opsroom:domainName with opsroom:hostedZoneId (for a throwaway dev stack only: opsroom:allowInsecureHttp true)');
    }

    this.listeners = [];
    if (certificateArn) {
      this.listeners.push(new aws.lb.Listener(`${name}-https`, {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificateArn,
        defaultActions: forward,
        tags,
      }, parent));
    }
    const insecure = !certificateArn;
    this.listeners.push(new aws.lb.Listener(`${name}-http`, {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultActions: insecure ? forward : [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
      // The policy pack refuses a serving HTTP listener unless the stack asked for one by name.
      tags: insecure ? { ...tags, 'opsroom:allowInsecureHttp': 'true' } : tags,
    }, parent));

    this.loginRateLimit(name, alb, args.loginRateLimit ?? 100, tags);

    const scheme = insecure ? 'http' : 'https';
    this.url = args.domainName ? pulumi.output(`${scheme}://${args.domainName}`) : pulumi.interpolate`${scheme}://${alb.dnsName}`;
    this.dnsName = alb.dnsName;
    this.targetGroupArn = targetGroup.arn;
    this.registerOutputs({ url: this.url });
  }

  private certificate(name: string, domainName: string, zoneId: string, tags: Record<string, string>): pulumi.Output<string> {
    const parent = { parent: this };
    const cert = new aws.acm.Certificate(name, { domainName, validationMethod: 'DNS', tags }, parent);
    const option = cert.domainValidationOptions[0];
    const record = new aws.route53.Record(`${name}-cert-validation`, {
      zoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    }, parent);
    // The listener waits for ACM to see the record and issue the certificate.
    return new aws.acm.CertificateValidation(name, {
      certificateArn: cert.arn,
      validationRecordFqdns: [record.fqdn],
    }, parent).certificateArn;
  }

  private loginRateLimit(name: string, alb: aws.lb.LoadBalancer, limit: number, tags: Record<string, string>) {
    const parent = { parent: this };
    const acl = new aws.wafv2.WebAcl(name, {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${name}-acl`, sampledRequestsEnabled: true },
      rules: [{
        name: 'login-rate-limit',
        priority: 1,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit,
            evaluationWindowSec: 300,
            aggregateKeyType: 'IP',
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: 'STARTS_WITH',
                searchString: '/api/auth/login',
                textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
              },
            },
          },
        },
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${name}-login`, sampledRequestsEnabled: true },
      }],
      tags,
    }, parent);
    new aws.wafv2.WebAclAssociation(name, { resourceArn: alb.arn, webAclArn: acl.arn }, parent);
  }
}
