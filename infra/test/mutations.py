#!/usr/bin/env python3
"""Breaks the program in each of the ways the infra tests must catch, one at a time, in a scratch
copy of the repository, and runs the stack tests against each break. Exits 1 if a break survives.

    python3 infra/test/mutations.py            # every mutation (about a minute each)
    python3 infra/test/mutations.py nat-route  # one of them
"""
import os, shutil, subprocess, sys, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TESTS = ['infra/test/dev-rds.test.ts']

# name -> (file, text that must be there, what it becomes)
MUTATIONS = {
    'secrets-on-star': ('infra/components/app.ts',
        "Action: ['secretsmanager:GetSecretValue'], Resource: secretArns }",
        "Action: ['secretsmanager:GetSecretValue'], Resource: '*' }"),
    'secrets-permission-removed': ('infra/components/app.ts',
        "{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secretArns },", ''),
    'tasks-in-public-subnets': ('infra/index.ts',
        'privateSubnetIds: network.privateSubnetIds,\n  appSecurityGroupId',
        'privateSubnetIds: network.publicSubnetIds,\n  appSecurityGroupId'),
    'alb-in-private-subnets': ('infra/index.ts',
        'publicSubnetIds: network.publicSubnetIds,', 'publicSubnetIds: network.privateSubnetIds,'),
    'nat-route-removed': ('infra/components/network.ts',
        "routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],", 'routes: [],'),
    'app-port-mismatch': ('infra/components/network.ts',
        'ingress: [{ protocol: \'tcp\', fromPort: appPort, toPort: appPort, securityGroups',
        'ingress: [{ protocol: \'tcp\', fromPort: 8080, toPort: 8080, securityGroups'),
    'alb-egress-removed': ('infra/components/network.ts',
        "egress: [{ protocol: 'tcp', fromPort: appPort, toPort: appPort, cidrBlocks: [vpcCidr] }],", 'egress: [],'),
    'no-circuit-breaker': ('infra/components/app.ts',
        'deploymentCircuitBreaker: { enable: true, rollback: true },\n      deploymentMinimumHealthyPercent: 100,',
        'deploymentCircuitBreaker: { enable: false, rollback: false },\n      deploymentMinimumHealthyPercent: 0,'),
    # Beyond the eight: the serving tasks connect as the migrator (which may run DDL).
    'app-connects-as-migrator': ('infra/index.ts',
        '    DATABASE_URL: database.url,\n', '    DATABASE_URL: database.migratorUrl,\n'),
}


def run(name, scratch):
    path, before, after = MUTATIONS[name]
    shutil.rmtree(os.path.join(scratch, 'infra'), ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, 'infra'), os.path.join(scratch, 'infra'))
    target = os.path.join(scratch, path)
    text = open(target).read()
    if before not in text:
        return f'{name}: the code it breaks is gone; update infra/test/mutations.py'
    open(target, 'w').write(text.replace(before, after, 1))
    result = subprocess.run(['npx', 'vitest', 'run', *TESTS], cwd=scratch, capture_output=True, text=True,
                            env={**os.environ, 'NO_COLOR': '1'})
    failed = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith('×')]
    if result.returncode == 0 or not failed:
        return f'{name}: SURVIVED (every test passed)'
    print(f'{name}: caught by {len(failed)} test(s)', *failed, sep='\n    ', flush=True)
    return None


def main():
    names = sys.argv[1:] or list(MUTATIONS)
    scratch = tempfile.mkdtemp(prefix='opsroom-mutations-')
    try:
        for entry in os.listdir(ROOT):
            if entry not in ('infra', '.git'):
                os.symlink(os.path.join(ROOT, entry), os.path.join(scratch, entry))
        survivors = [message for message in (run(name, scratch) for name in names) if message]
    finally:
        shutil.rmtree(scratch)
    for message in survivors:
        print(message)
    sys.exit(1 if survivors else 0)


if __name__ == '__main__':
    main()
