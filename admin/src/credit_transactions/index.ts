import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import { CreditTransactionList, CreditTransactionShow } from './CreditTransactionViews';

export default { list: CreditTransactionList, show: CreditTransactionShow, icon: ReceiptLongIcon };
