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

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('opsroom:network:Network', name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags ?? {};
    const appPort = args.appPort ?? 3000;

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

    const albSg = new aws.ec2.SecurityGroup(`${name}-alb`, {
      vpcId: this.vpcId,
      description: 'opsroom load balancer: HTTP/HTTPS from the internet',
      ingress: [
        { protocol: 'tcp', fromPort: 80, toPort: 80, cidrBlocks: ['0.0.0.0/0'], ipv6CidrBlocks: ['::/0'] },
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'], ipv6CidrBlocks: ['::/0'] },
      ],
      egress: [{ protocol: 'tcp', fromPort: appPort, toPort: appPort, cidrBlocks: ['0.0.0.0/0'] }],
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

/** The i-th /20 inside a /16 (16 of them), so public and private ranges never overlap. */
function subnetCidr(vpcCidr: string, index: number): string {
  const [a, b] = vpcCidr.split('.');
  return `${a}.${b}.${index * 16}.0/20`;
}
