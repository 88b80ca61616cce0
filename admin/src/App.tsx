import { Suspense, useEffect, useState } from 'react';
import { Admin, Resource } from 'react-admin';
import { isAdoptedServer } from './adopted/meta';
import { lazyViews } from './common/lazyViews';
import affiliates from './affiliates';
import ai_provider_keys from './ai_provider_keys';
import api_keys from './api_keys';
import approval_requests from './approval_requests';
import audit_log from './audit_log';
import { authProvider } from './authProvider';
import badges from './badges';
import credit_transactions from './credit_transactions';
import { dataProvider } from './dataProvider';
import feedbacks from './feedbacks';
import generations from './generations';
import { OpsLayout } from './layout/OpsLayout';
import { LoginPage } from './LoginPage';
import orders from './orders';
import organizations from './organizations';
import posts from './posts';
import projects from './projects';
import users from './users';
import waitlist from './waitlist';

// The dashboard carries recharts; loading it lazily keeps the charting code off the login page.
export const Dashboard = lazyViews(() => import('./dashboard/Dashboard'))('default');
// Only an adopted database needs the generated console: keep it out of the built-in login page's bundle.
const AdoptedApp = lazyViews(() => import('./adopted/AdoptedApp'))('AdoptedApp');

/** The resources with views of their own, by name, for preloadRoute. */
export const resources = { users, orders, credit_transactions, generations, ai_provider_keys, api_keys, affiliates, badges, feedbacks, posts, waitlist, organizations, projects, audit_log, approval_requests };

/** `firstPage`: settles when the console may mount (see main.tsx); the server-mode check answers first too. */
export function App({ firstPage }: { firstPage?: Promise<unknown> }) {
  // A server on an adopted database (OPSROOM_ADOPT) gets the console built from its metadata.
  const [adopted, setAdopted] = useState<boolean>();
  useEffect(
    () =>
      void Promise.all([isAdoptedServer(), firstPage]).then(async ([isAdopted]) => {
        // Mounted once its chunk is here, so it renders without suspending (see lazyViews); a failed
        // download is thrown by its first render.
        if (isAdopted) await AdoptedApp.preload().catch(() => undefined);
        setAdopted(isAdopted);
      }),
    [firstPage],
  );
  if (adopted === undefined) return null;
  if (adopted)
    return (
      <Suspense fallback={null}>
        <AdoptedApp />
      </Suspense>
    );
  return <BuiltInApp />;
}

function BuiltInApp() {
  return (
    <Admin
      title="opsroom"
      dataProvider={dataProvider}
      authProvider={authProvider}
      loginPage={LoginPage}
      layout={OpsLayout}
      dashboard={Dashboard}
      requireAuth
      disableTelemetry
    >
      <Resource name="users" {...users} />
      <Resource name="orders" {...orders} />
      <Resource name="credit_transactions" options={{ label: 'Credit ledger' }} {...credit_transactions} />
      <Resource name="generations" {...generations} />
      <Resource name="ai_provider_keys" options={{ label: 'Provider keys' }} {...ai_provider_keys} />
      <Resource name="api_keys" options={{ label: 'API keys' }} {...api_keys} />
      <Resource name="affiliates" {...affiliates} />
      <Resource name="badges" {...badges} />
      <Resource name="feedbacks" {...feedbacks} />
      <Resource name="posts" {...posts} />
      <Resource name="waitlist" options={{ label: 'Waitlist' }} {...waitlist} />
      <Resource name="organizations" {...organizations} />
      <Resource name="projects" {...projects} />
      <Resource name="audit_log" options={{ label: 'Audit log' }} {...audit_log} />
      <Resource name="approval_requests" options={{ label: 'Approvals' }} {...approval_requests} />
      {/* Read through references on other pages; no menu entry of their own. */}
      <Resource name="credits" />
      <Resource name="user_badges" />
      <Resource name="user_xp" />
      <Resource name="xp_transactions" />
      <Resource name="members" />
      <Resource name="teams" />
      <Resource name="invitations" />
      <Resource name="project_images" />
      <Resource name="project_videos" />
      <Resource name="user_notes" />
    </Admin>
  );
}
