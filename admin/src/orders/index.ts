import ShoppingCartIcon from '@mui/icons-material/ShoppingCart';
import { OrderList } from './OrderList';
import { OrderShow } from './OrderShow';

// No edit or create: orders come from the payment provider and change only through a refund.
export default { list: OrderList, show: OrderShow, icon: ShoppingCartIcon, recordRepresentation: 'order_no' };
