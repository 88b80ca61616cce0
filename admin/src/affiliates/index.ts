import HandshakeIcon from '@mui/icons-material/Handshake';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./AffiliateViews'));

// Commissions move only through approve / pay (and a refund's reversal), never by editing.
export default { list: views('AffiliateList'), show: views('AffiliateShow'), icon: HandshakeIcon };
