import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface NetworkArgs {
  /** Use this VPC instead of creating one. Default: a new VPC. Requires both subnet lists. */
  existingVpc?: { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] };
  /** CIDR of the new VPC. Default: `10.40.0.0/16`. */
  cidrBlock?: string;
  /** How many AZs get a public and a private subnet. Default: 2. */
  azCount?: number;
  /** Port the app container listens on. Default: 3000. */
  appPort?: number;
  /** Who may reach the load balancer on 80/443. Default: everyone (`0.0.0.0/0` and `::/0`). */
  allowedCidrs?: string[];
  /** Tags for every resource. Default: none. */
  tags?: Record<string, string>;
}

/**
 * The VPC, its subnets, and the two security groups every other component hangs off: the
 * load balancer's (the only one open to the internet) and the app's (open to the ALB only).
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly albSecurityGroupId: pulumi.Output<string>;
  readonly appSecurityGroupId: pulumi.Output<string>;
  /** The port the app security group admits from the ALB; the container and target group use it too. */
  readonly appPort: number;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('opsroom:network:Network', name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags ?? {};
    const appPort = args.appPort ?? 3000;
    this.appPort = appPort;

    if (args.existingVpc) {
      this.vpcId = pulumi.output(args.existingVpc.vpcId);
      this.publicSubnetIds = pulumi.output(args.existingVpc.publicSubnetIds);
      this.privateSubnetIds = pulumi.output(args.existingVpc.privateSubnetIds);
    } else {
      const created = this.createVpc(name, args.cidrBlock ?? '10.40.0.0/16', args.azCount ?? 2, tags);
      this.vpcId = created.vpcId;
      this.publicSubnetIds = created.publicSubnetIds;
      this.privateSubnetIds = created.privateSubnetIds;
    }

    const vpcCidr = args.existingVpc
      ? aws.ec2.getVpcOutput({ id: args.existingVpc.vpcId }, { parent: this }).cidrBlock
      : pulumi.output(args.cidrBlock ?? '10.40.0.0/16');
    const allowed = args.allowedCidrs ?? ['0.0.0.0/0', '::/0'];
    const sources = { cidrBlocks: allowed.filter((c) => !c.includes(':')), ipv6CidrBlocks: allowed.filter((c) => c.includes(':')) };
    const albSg = new aws.ec2.SecurityGroup(`${name}-alb`, {
      vpcId: this.vpcId,
      description: 'opsroom load balancer: HTTP/HTTPS from the allowed networks',
      ingress: [
        { protocol: 'tcp', fromPort: 80, toPort: 80, ...sources },
        { protocol: 'tcp', fromPort: 443, toPort: 443, ...sources },
      ],
      // The ALB only ever talks to the tasks, on the app port, inside the VPC.
      egress: [{ protocol: 'tcp', fromPort: appPort, toPort: appPort, cidrBlocks: [vpcCidr] }],
      tags: { ...tags, Name: `${name}-alb` },
    }, parent);

    const appSg = new aws.ec2.SecurityGroup(`${name}-app`, {
      vpcId: this.vpcId,
      description: 'opsroom app tasks: only the load balancer reaches them',
      ingress: [{ protocol: 'tcp', fromPort: appPort, toPort: appPort, securityGroups: [albSg.id] }],
      // Tasks pull from ECR, read Secrets Manager and may reach Neon over the internet via NAT.
      egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
      tags: { ...tags, Name: `${name}-app` },
    }, parent);

    this.albSecurityGroupId = albSg.id;
    this.appSecurityGroupId = appSg.id;
    this.registerOutputs({ vpcId: this.vpcId });
  }

  private createVpc(name: string, cidrBlock: string, azCount: number, tags: Record<string, string>) {
    const parent = { parent: this };
    const azs = aws.getAvailabilityZonesOutput({ state: 'available' }, parent).names;
    const vpc = new aws.ec2.Vpc(name, {
      cidrBlock,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { ...tags, Name: name },
    }, parent);
    const igw = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags }, parent);

    const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, {
      vpcId: vpc.id,
      routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { ...tags, Name: `${name}-public` },
    }, parent);

    const publicSubnets: aws.ec2.Subnet[] = [];
    const privateSubnets: aws.ec2.Subnet[] = [];
    for (let i = 0; i < azCount; i++) {
      const az = azs.apply((names) => names[i % names.length]);
      const pub = new aws.ec2.Subnet(`${name}-public-${i}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: subnetCidr(cidrBlock, i),
        // Only the ALB lives here; nothing launched in it should get a public IP by accident.
        mapPublicIpOnLaunch: false,
        tags: { ...tags, Name: `${name}-public-${i}`, tier: 'public' },
      }, parent);
      new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: pub.id, routeTableId: publicRoutes.id }, parent);
      publicSubnets.push(pub);

      privateSubnets.push(new aws.ec2.Subnet(`${name}-private-${i}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: subnetCidr(cidrBlock, 8 + i),
        tags: { ...tags, Name: `${name}-private-${i}`, tier: 'private' },
      }, parent));
    }

    // One NAT gateway keeps the bill small; a NAT per AZ is the upgrade if AZ-level egress
    // failure matters more than ~$32/month per gateway.
    const natIp = new aws.ec2.Eip(`${name}-nat`, { domain: 'vpc', tags }, parent);
    const nat = new aws.ec2.NatGateway(name, { allocationId: natIp.id, subnetId: publicSubnets[0].id, tags }, { ...parent, dependsOn: [igw] });
    const privateRoutes = new aws.ec2.RouteTable(`${name}-private`, {
      vpcId: vpc.id,
      routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
      tags: { ...tags, Name: `${name}-private` },
    }, parent);
    privateSubnets.forEach((subnet, i) =>
      new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: privateRoutes.id }, parent));

    return {
      vpcId: vpc.id,
      publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
      privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
    };
  }
}

/**
 * The i-th of 16 equal subnets of the VPC's range (4 more prefix bits), so public (0..7) and
 * private (8..15) ranges never overlap, whatever the VPC's size.
 */
export function subnetCidr(vpcCidr: string, index: number): string {
  const [address, bits] = vpcCidr.split('/');
  const prefix = Number(bits);
  if (!(prefix >= 8 && prefix <= 24) || index < 0 || index > 15) throw new Error(`cannot cut subnet ${index} out of ${vpcCidr} (use a /8../24 VPC range)`);
  const base = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix - 4);
  const start = (base - (base % (size * 16))) + index * size;
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix + 4}`;
}
