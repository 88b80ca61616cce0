import HandshakeIcon from '@mui/icons-material/Handshake';
import { AffiliateList, AffiliateShow } from './AffiliateViews';

// Commissions move only through approve / pay (and a refund's reversal), never by editing.
export default { list: AffiliateList, show: AffiliateShow, icon: HandshakeIcon };
