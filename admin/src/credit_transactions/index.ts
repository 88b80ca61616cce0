import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./CreditTransactionViews'));

export default { list: views('CreditTransactionList'), show: views('CreditTransactionShow'), icon: ReceiptLongIcon };
